-- Which node owns each center in a cluster, and the fencing token of its ownership. A node that wins
-- a center's lease on NATS bumps `fence` (row locked) and keeps the new value as its token; every
-- write of that center's decisions and messages reads the row under a shared lock in its own
-- transaction and rolls back unless the fence is still its token. So a node taking a center over
-- waits for a write in flight to commit, and every later write of the old owner fails: the fence
-- only grows, whatever NATS remembers. A single node has no rows here.
CREATE TABLE center_owner (
  center_id  BIGINT       NOT NULL,
  node_name  VARCHAR(100) NOT NULL,
  fence      BIGINT       NOT NULL,
  taken_at   DATETIME(6)  NOT NULL,
  PRIMARY KEY (center_id),
  CONSTRAINT fk_center_owner_center FOREIGN KEY (center_id) REFERENCES center (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
