-- A tenant's external bots (issue 17 item 5, the AICC plug): where a scenario's externalBot node POSTs each
-- customer message. secret signs those POSTs (X-Sangdam-Signature, as our webhooks); it is kept as given, since
-- the server signs with it. token_hash: SHA-256 of the bearer token the bot answers with later over REST
-- (POST /api/bot/conversations/{id}/reply); the token itself is shown once and never kept.
-- timeout_ms: how long a POST's answer is waited for; reply_within_s: how long an answer promised with 202 is.
CREATE TABLE bot_endpoint (
  id             BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id      BIGINT       NOT NULL,
  code           VARCHAR(32)  NOT NULL,
  name           VARCHAR(100) NOT NULL,
  url            VARCHAR(500) NOT NULL,
  secret         VARCHAR(100) NOT NULL,
  token_hash     BINARY(32)   NOT NULL,
  timeout_ms     INT          NOT NULL,
  reply_within_s INT          NOT NULL,
  enabled        BOOLEAN      NOT NULL DEFAULT TRUE,
  created_at     DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_bot_endpoint_code (tenant_id, code),
  UNIQUE KEY uq_bot_endpoint_token (token_hash),
  CONSTRAINT fk_bot_endpoint_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
