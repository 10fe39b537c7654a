-- Password and session policy of local accounts (issue 19, item 4): one row for HQ (tenant_key 0),
-- the default of every tenant without a row of its own, and one per tenant that set its own.
CREATE TABLE security_policy (
  tenant_key      BIGINT        NOT NULL COMMENT '0: HQ, the default of every tenant without its own row',
  min_length      INT           NOT NULL,
  char_classes    INT           NOT NULL COMMENT 'how many of upper, lower, digit, symbol a password needs',
  expiry_days     INT           NOT NULL COMMENT '0: passwords never expire',
  reuse_limit     INT           NOT NULL COMMENT 'how many previous passwords may not be chosen again',
  token_minutes   INT           NULL     COMMENT 'NULL: auth.tokenTtlMinutes',
  idle_minutes    INT           NOT NULL COMMENT '0: no idle sign-out',
  admin_ranges    VARCHAR(2000) NOT NULL COMMENT 'CIDR list, comma separated; empty: anywhere',
  agent_ranges    VARCHAR(2000) NOT NULL COMMENT 'CIDR list, comma separated; empty: anywhere',
  updated_at      DATETIME(3)   NOT NULL,
  PRIMARY KEY (tenant_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- When the password was set (expiry counts from it; NULL for accounts from before this migration, which
-- count from it) and whether its user must choose another before anything else (a generated or reset one).
ALTER TABLE app_user
  ADD COLUMN password_changed_at DATETIME(3) NULL,
  ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE app_user SET password_changed_at = CURRENT_TIMESTAMP(3);

-- The hashes a user had before, newest first by replaced_at: a new password may not be one of the last N.
CREATE TABLE password_history (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  user_id       BIGINT       NOT NULL,
  password_hash VARCHAR(200) NOT NULL,
  replaced_at   DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  KEY ix_password_history_user (user_id, replaced_at),
  CONSTRAINT fk_password_history_user FOREIGN KEY (user_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
