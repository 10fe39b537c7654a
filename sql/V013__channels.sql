-- Channels: where customers write from besides the widget (KakaoTalk, Naver TalkTalk, SMS, a company's
-- own app through the custom kind). A channel's new conversations go to its center's queue. The secret
-- signs what the channel sends us (and, later, what we send it); like a webhook's, it is shown once, when
-- the channel is created. settings: the kind's own settings as a JSON object (CUSTOM: outboundUrl).
-- The code 'web' is the widget's and never a channel's (checked by the server).
CREATE TABLE channel (
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id  BIGINT       NOT NULL,
  code       VARCHAR(32)  NOT NULL,
  kind       VARCHAR(16)  NOT NULL,
  center_id  BIGINT       NOT NULL,
  queue_id   BIGINT       NOT NULL,
  enabled    BOOLEAN      NOT NULL DEFAULT TRUE,
  settings   TEXT         NOT NULL,
  secret     VARCHAR(100) NOT NULL,
  created_at DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_channel_code (tenant_id, code),
  CONSTRAINT fk_channel_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id),
  CONSTRAINT fk_channel_center FOREIGN KEY (center_id) REFERENCES center (id),
  CONSTRAINT fk_channel_queue FOREIGN KEY (queue_id) REFERENCES chat_queue (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A channel's customer is one record per (channel, the customer's key on it). Widget customers have
-- neither (NULLs never collide in the unique key).
ALTER TABLE customer
  ADD COLUMN channel_id   BIGINT       NULL,
  ADD COLUMN channel_user VARCHAR(128) NULL,
  ADD UNIQUE KEY uk_customer_channel_user (channel_id, channel_user),
  ADD CONSTRAINT fk_customer_channel FOREIGN KEY (channel_id) REFERENCES channel (id);

-- Where a conversation came from: 'web' (the widget) or its channel's code, and the customer's key there.
ALTER TABLE conversation
  ADD COLUMN channel      VARCHAR(32)  NOT NULL DEFAULT 'web',
  ADD COLUMN channel_user VARCHAR(128) NULL;

-- Inbound messages and events handled, by the channel's message id: a repeated mid stores nothing and
-- is answered as the first time. Kept at least 7 days (older rows are purged as new ones arrive).
CREATE TABLE channel_inbound (
  channel_id      BIGINT      NOT NULL,
  mid             VARCHAR(64) NOT NULL,
  conversation_id BIGINT      NOT NULL,
  seq             BIGINT      NULL,
  received_at     DATETIME(3) NOT NULL,
  PRIMARY KEY (channel_id, mid),
  KEY ix_channel_inbound_time (received_at),
  CONSTRAINT fk_channel_inbound_channel FOREIGN KEY (channel_id) REFERENCES channel (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
