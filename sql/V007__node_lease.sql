-- Which node serves this database. Until clustering exists one node does, alone: it takes the row
-- at start when the row is free, expired, or already its own (the same node restarting after a
-- crash), renews it on a heartbeat, and expires it when it stops cleanly. A node that finds the row
-- held by another live node refuses to start. All times are the database's own clock (UTC), so the
-- nodes' clocks need not agree. The cluster issue keeps this row for single nodes and adds one lease
-- per center for cluster nodes.
CREATE TABLE node_lease (
  scope       VARCHAR(32)   NOT NULL,
  -- cluster.nodeName when configured; NULL when the node goes by its host name alone
  node_name   VARCHAR(100)  NULL,
  host        VARCHAR(255)  NOT NULL,
  -- the HTTP port, and the process, of the holder: for the operator reading the refusal
  port        INT           NOT NULL,
  pid         BIGINT        NOT NULL,
  -- absolute data.dir of the holder: with the host, the identity of a node that did not name itself
  data_dir    VARCHAR(1000) NOT NULL,
  -- random per start: a node renews only while the row still carries its own token
  token       CHAR(32)      NOT NULL,
  since       DATETIME(6)   NOT NULL,
  renewed_at  DATETIME(6)   NOT NULL,
  expires_at  DATETIME(6)   NOT NULL,
  PRIMARY KEY (scope)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 'database': the whole database, held by one node. Born expired, so the first node takes it.
INSERT INTO node_lease (scope, node_name, host, port, pid, data_dir, token, since, renewed_at, expires_at)
VALUES ('database', NULL, '', 0, 0, '', '', '1970-01-02 00:00:00', '1970-01-02 00:00:00', '1970-01-02 00:00:00');
