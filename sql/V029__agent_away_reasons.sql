-- Agent status reasons (이석 사유, issue 18): each tenant's away reasons, and every change of an
-- agent's status as their center's routing saw it, for the time in each status and reason.

-- A tenant's away reasons. The five defaults are written the first time the tenant's reasons are
-- read (io.sangdam.store.JdbcAwayReasonStore), so every tenant, old or new, starts with them.
-- Never deleted, only disabled: the changes below keep naming them.
CREATE TABLE away_reason (
  tenant_id  BIGINT      NOT NULL,
  code       VARCHAR(32) NOT NULL,
  name       VARCHAR(50) NOT NULL,
  name_en    VARCHAR(50) NULL COMMENT 'NULL: the console shows name in English too',
  enabled    BOOLEAN     NOT NULL DEFAULT TRUE,
  sort_order INT         NOT NULL,
  PRIMARY KEY (tenant_id, code),
  CONSTRAINT fk_away_reason_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- From changed_at on, the agent was in status (ONLINE, AWAY, OFFLINE) with reason (AWAY only,
-- else NULL) in this center, until their next row. Written in batches off the routing threads.
CREATE TABLE agent_status_change (
  id         BIGINT      NOT NULL AUTO_INCREMENT,
  center_id  BIGINT      NOT NULL,
  agent_id   BIGINT      NOT NULL,
  status     VARCHAR(8)  NOT NULL,
  reason     VARCHAR(32) NULL,
  changed_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY ix_agent_status_center (center_id, changed_at),
  KEY ix_agent_status_agent (agent_id, changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
