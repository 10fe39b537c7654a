-- Roles a tenant shapes (issue 19): a name, the built-in role it sits on (its users keep that as
-- app_user.role, and it decides their scope), the permissions it holds in place of the base role's,
-- and for a center-based role the centers it sees beyond the user's own.
CREATE TABLE custom_role (
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  tenant_id  BIGINT       NOT NULL,
  name       VARCHAR(50)  NOT NULL,
  base_role  VARCHAR(16)  NOT NULL COMMENT 'TENANT_ADMIN, CENTER_MANAGER or AGENT',
  created_at DATETIME(3)  NOT NULL,
  updated_at DATETIME(3)  NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_custom_role_name (tenant_id, name),
  CONSTRAINT fk_custom_role_tenant FOREIGN KEY (tenant_id) REFERENCES tenant (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE custom_role_permission (
  role_id    BIGINT      NOT NULL,
  permission VARCHAR(40) NOT NULL COMMENT 'a Permission code, e.g. transcripts.read',
  PRIMARY KEY (role_id, permission),
  CONSTRAINT fk_custom_role_permission_role FOREIGN KEY (role_id) REFERENCES custom_role (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE custom_role_center (
  role_id   BIGINT NOT NULL,
  center_id BIGINT NOT NULL,
  PRIMARY KEY (role_id, center_id),
  CONSTRAINT fk_custom_role_center_role FOREIGN KEY (role_id) REFERENCES custom_role (id) ON DELETE CASCADE,
  CONSTRAINT fk_custom_role_center_center FOREIGN KEY (center_id) REFERENCES center (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
