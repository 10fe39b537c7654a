-- Staff sign-in through the company directory (LDAP/Active Directory, OpenID Connect).
-- A user signed in by the company has no password here; 'PASSWORD' marks the local accounts
-- (every user before this migration, and break-glass accounts) that sign in with their own.
ALTER TABLE app_user
  MODIFY password_hash VARCHAR(200) NULL,
  ADD COLUMN sign_in VARCHAR(16) NOT NULL DEFAULT 'PASSWORD';

-- One row per tenant (tenant_key = its id) and one for HQ (tenant_key = 0). settings is JSON without
-- the secrets; the two secrets are kept apart so that no read for display ever carries them.
CREATE TABLE company_sign_in (
  tenant_key          BIGINT       NOT NULL,
  settings            TEXT         NOT NULL,
  ldap_bind_password  VARCHAR(500) NULL,
  oidc_client_secret  VARCHAR(500) NULL,
  updated_at          DATETIME(3)  NOT NULL,
  PRIMARY KEY (tenant_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
