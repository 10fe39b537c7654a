-- Access records (접속기록): every read of personal data by staff, kept as one keyed chain. Each record's mac is
-- HMAC-SHA256, under a key kept outside the database (accessLog.keyFile), over the previous record's mac and its
-- own fields, so whoever can write these tables cannot change, insert or remove a record without the key.

-- One record. id is given by the chain (access_log_chain.last_id + 1, under that row's lock), not by
-- AUTO_INCREMENT: ids are gapless in chain order, so a removed record is seen as a missing id.
-- subjects: the customer ids whose data was read, comma-separated in the order they were read (part of the mac).
CREATE TABLE access_log (
  id            BIGINT       NOT NULL,
  at            DATETIME(3)  NOT NULL,
  actor_id      BIGINT       NULL,
  actor_name    VARCHAR(100) NOT NULL,
  tenant_id     BIGINT       NULL,
  center_id     BIGINT       NULL,
  address       VARCHAR(64)  NULL,
  action        VARCHAR(40)  NOT NULL,
  object        VARCHAR(200) NOT NULL,
  subjects      MEDIUMTEXT   NOT NULL,
  reason        VARCHAR(200) NULL,
  prev_mac      CHAR(64)     NOT NULL,
  mac           CHAR(64)     NOT NULL,
  PRIMARY KEY (id),
  KEY ix_access_time (at),
  KEY ix_access_tenant_time (tenant_id, at),
  KEY ix_access_actor_time (actor_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The same subjects, one row each, to find every read of one customer's data (not part of the mac: derived).
CREATE TABLE access_log_subject (
  customer_id BIGINT NOT NULL,
  record_id   BIGINT NOT NULL,
  PRIMARY KEY (customer_id, record_id),
  KEY ix_access_subject_record (record_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The chain's head: every append locks this row (SELECT ... FOR UPDATE), so appends from every node are one line.
-- key_id: a fingerprint of the key the chain is kept with (a node with another key refuses to append).
-- pruned_id/pruned_mac: the last record removed for age (accessLog.keepDays) and its mac, where the chain now
-- starts; anchor_mac is keyed over them, so removing older records needs the key too.
CREATE TABLE access_log_chain (
  chain      VARCHAR(20) NOT NULL,
  last_id    BIGINT      NOT NULL,
  last_mac   CHAR(64)    NOT NULL,
  key_id     CHAR(16)    NULL,
  pruned_id  BIGINT      NOT NULL,
  pruned_mac CHAR(64)    NOT NULL,
  anchor_mac CHAR(64)    NULL,
  PRIMARY KEY (chain)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO access_log_chain (chain, last_id, last_mac, pruned_id, pruned_mac)
VALUES ('main', 0, REPEAT('0', 64), 0, REPEAT('0', 64));
