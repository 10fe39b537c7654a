-- Canned responses (상용구): shared by a tenant or a center, or personal to one agent.
CREATE TABLE canned_response (
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id  BIGINT       NOT NULL,
  center_id  BIGINT       NULL COMMENT 'NULL: the whole tenant',
  owner_id   BIGINT       NULL COMMENT 'set: personal to this agent',
  -- One shortcut per level: the tenant's, each center's, each agent's.
  scope_key  VARCHAR(40)  AS (CONCAT(COALESCE(center_id, 0), '/', COALESCE(owner_id, 0))) PERSISTENT,
  title      VARCHAR(100) NOT NULL,
  shortcut   VARCHAR(32)  NOT NULL,
  body       TEXT         NOT NULL,
  enabled    BOOLEAN      NOT NULL DEFAULT TRUE,
  created_at DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_canned_shortcut (tenant_id, scope_key, shortcut),
  CONSTRAINT fk_canned_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id),
  CONSTRAINT fk_canned_center FOREIGN KEY (center_id) REFERENCES center (id),
  CONSTRAINT fk_canned_owner FOREIGN KEY (owner_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
