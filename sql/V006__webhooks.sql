-- Webhooks: URLs of a tenant's own systems that receive conversation and message events as signed
-- JSON POSTs. The secret signs each delivery (HMAC-SHA256); it is shown once, when created.
CREATE TABLE webhook (
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id  BIGINT       NOT NULL,
  url        VARCHAR(500) NOT NULL,
  secret     VARCHAR(100) NOT NULL,
  -- Comma-separated event names, e.g. conversation.started,message.created
  events     VARCHAR(200) NOT NULL,
  enabled    BOOLEAN      NOT NULL DEFAULT TRUE,
  created_at DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  KEY ix_webhook_tenant (tenant_id),
  CONSTRAINT fk_webhook_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
