-- The webhook outbox: every delivery is written here when its event is handed over, removed once
-- the receiver answers 2xx, and retried from here after a restart. One that failed every attempt
-- (or whose URL came to point at a forbidden address) stays as GAVE_UP with its last error, for
-- the operator to inspect. delivery_id is the event's id (X-Sangdam-Delivery), shared by all the
-- webhooks the event goes to.
CREATE TABLE webhook_delivery (
  delivery_id     CHAR(36)     NOT NULL,
  webhook_id      BIGINT       NOT NULL,
  tenant_id       BIGINT       NOT NULL,
  event           VARCHAR(40)  NOT NULL,
  body            MEDIUMBLOB   NOT NULL,
  -- PENDING (to be tried at next_attempt_at) or GAVE_UP
  state           VARCHAR(10)  NOT NULL,
  -- Attempts made so far
  attempts        INT          NOT NULL,
  next_attempt_at DATETIME(3)  NOT NULL,
  last_error      VARCHAR(500) NULL,
  created_at      DATETIME(3)  NOT NULL,
  PRIMARY KEY (delivery_id, webhook_id),
  KEY ix_webhook_delivery_state (state, next_attempt_at),
  KEY ix_webhook_delivery_webhook (webhook_id),
  CONSTRAINT fk_webhook_delivery_webhook FOREIGN KEY (webhook_id) REFERENCES webhook (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
