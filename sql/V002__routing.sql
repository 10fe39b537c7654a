-- Routing as a contact center runs it: per-center timeouts, when a conversation entered its
-- current queue, the history of who carried each conversation, and offline inquiries.

ALTER TABLE center
  ADD COLUMN agent_grace_seconds    INT NULL COMMENT 'NULL: routing.agentGraceSeconds',
  ADD COLUMN customer_grace_seconds INT NULL COMMENT 'NULL: chat.customerGraceSeconds',
  ADD COLUMN idle_warning_seconds   INT NULL COMMENT 'NULL: chat.idleWarningSeconds',
  ADD COLUMN idle_close_seconds     INT NULL COMMENT 'NULL: chat.idleCloseSeconds';

-- A customer's own priority (a VIP, say), added to the queue's when they start a conversation.
ALTER TABLE customer
  ADD COLUMN priority INT NOT NULL DEFAULT 0;

-- The overflow clock: when the conversation entered its current queue (created_at is kept as
-- its place in line across transfers and overflow).
ALTER TABLE conversation
  ADD COLUMN queued_at DATETIME(3) NULL AFTER created_at;
UPDATE conversation SET queued_at = created_at WHERE queued_at IS NULL;
ALTER TABLE conversation MODIFY queued_at DATETIME(3) NOT NULL;

-- One row per time an agent carried a conversation: from assignment (routing, pick, transfer)
-- until it ended or left them. No two rows of one conversation overlap.
CREATE TABLE conversation_assignment (
  id              BIGINT      NOT NULL AUTO_INCREMENT,
  conversation_id BIGINT      NOT NULL,
  agent_id        BIGINT      NOT NULL,
  assigned_at     DATETIME(3) NOT NULL,
  released_at     DATETIME(3) NULL,
  how             VARCHAR(16) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_assignment_conversation (conversation_id, assigned_at),
  KEY ix_assignment_agent (agent_id, assigned_at),
  CONSTRAINT fk_assignment_conversation FOREIGN KEY (conversation_id) REFERENCES conversation (id),
  CONSTRAINT fk_assignment_agent FOREIGN KEY (agent_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Left out of hours with the OFFLINE_FORM behaviour; seen by the center's people when it opens.
CREATE TABLE offline_inquiry (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  tenant_id    BIGINT        NOT NULL,
  center_id    BIGINT        NOT NULL,
  queue_id     BIGINT        NOT NULL,
  customer_id  BIGINT        NOT NULL,
  contact      VARCHAR(200)  NOT NULL,
  body         TEXT          NOT NULL,
  created_at   DATETIME(3)   NOT NULL,
  handled_by   BIGINT        NULL,
  handled_at   DATETIME(3)   NULL,
  PRIMARY KEY (id),
  KEY ix_inquiry_center (center_id, handled_at, created_at),
  CONSTRAINT fk_inquiry_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id),
  CONSTRAINT fk_inquiry_center FOREIGN KEY (center_id) REFERENCES center (id),
  CONSTRAINT fk_inquiry_queue FOREIGN KEY (queue_id) REFERENCES chat_queue (id),
  CONSTRAINT fk_inquiry_customer FOREIGN KEY (customer_id) REFERENCES customer (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
