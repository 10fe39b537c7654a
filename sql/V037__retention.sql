-- Retention per tenant (issue 19): how long a tenant keeps conversations, messages, attachments and customer
-- contact data, and what happens after. No row: kept for ever, as before this migration.
CREATE TABLE retention_setting (
  tenant_id   BIGINT       NOT NULL,
  days        INT          NOT NULL COMMENT 'days after a conversation ends before it is erased',
  record_days INT          NULL COMMENT 'the same for conversations of a record queue (another law''s period); NULL: none',
  action      VARCHAR(10)  NOT NULL COMMENT 'DELETE (rows go) or ANONYMISE (figures stay, personal data goes)',
  updated_at  DATETIME(3)  NOT NULL,
  PRIMARY KEY (tenant_id),
  CONSTRAINT fk_retention_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Queues whose conversations are records another law requires (e.g. 전자금융거래법's five years for financial
-- transactions): a conversation that ended in one is kept record_days instead of days.
CREATE TABLE retention_record_queue (
  tenant_id BIGINT NOT NULL,
  queue_id  BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, queue_id),
  CONSTRAINT fk_retention_queue_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id),
  CONSTRAINT fk_retention_queue FOREIGN KEY (queue_id) REFERENCES chat_queue (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A legal hold on a customer (all their conversations) or on one conversation: neither the retention job nor an
-- erasure request touches it until it is released. Released holds stay as the record of who held what and why;
-- no foreign key to the subject, so a released hold never keeps its subject from being erased later.
CREATE TABLE legal_hold (
  id              BIGINT        NOT NULL AUTO_INCREMENT,
  tenant_id       BIGINT        NOT NULL,
  customer_id     BIGINT        NULL,
  conversation_id BIGINT        NULL,
  reason          VARCHAR(500)  NOT NULL,
  placed_by       VARCHAR(100)  NOT NULL,
  placed_at       DATETIME(3)   NOT NULL,
  released_by     VARCHAR(100)  NULL,
  released_at     DATETIME(3)   NULL,
  release_reason  VARCHAR(500)  NULL,
  PRIMARY KEY (id),
  KEY ix_hold_tenant (tenant_id, released_at),
  KEY ix_hold_customer (customer_id, released_at),
  KEY ix_hold_conversation (conversation_id, released_at),
  CONSTRAINT fk_hold_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per run of the retention job, keyed by the run's slot (its scheduled time): the node whose insert
-- wins runs it, every other node's insert of the same key fails and it does nothing, so a run happens once.
CREATE TABLE retention_run (
  run_key       VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  node          VARCHAR(255) NOT NULL,
  started_at    DATETIME(3)  NOT NULL,
  finished_at   DATETIME(3)  NULL,
  conversations INT          NOT NULL DEFAULT 0,
  messages      INT          NOT NULL DEFAULT 0,
  attachments   INT          NOT NULL DEFAULT 0,
  files         INT          NOT NULL DEFAULT 0,
  customers     INT          NOT NULL DEFAULT 0,
  PRIMARY KEY (run_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- When the personal data of a conversation or a customer was erased (by the job or a request); with ANONYMISE the
-- row stays, stripped, for the figures, and this keeps it from being taken again. Both are instant ADD COLUMNs.
ALTER TABLE conversation ADD COLUMN purged_at DATETIME(3) NULL;
ALTER TABLE customer ADD COLUMN purged_at DATETIME(3) NULL;

-- Conversations whose erasure was decided (held ones never are) and is not finished: their messages go in small
-- batches, then the rest in one short transaction that removes them from here. A run cut short (a stop, a crash)
-- leaves them here, and the next run finishes them first.
CREATE TABLE retention_pending (
  conversation_id BIGINT      NOT NULL,
  tenant_id       BIGINT      NOT NULL,
  action          VARCHAR(10) NOT NULL,
  marked_at       DATETIME(3) NOT NULL,
  PRIMARY KEY (conversation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
