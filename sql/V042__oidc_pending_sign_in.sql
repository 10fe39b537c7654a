-- An OpenID Connect sign-in between its start and the provider's callback, which may reach another
-- node: the state (stored as its SHA-256), the nonce and the PKCE verifier. Used once, then deleted;
-- expired rows are deleted by later starts.
CREATE TABLE oidc_pending_sign_in (
  state_hash     BINARY(32)   NOT NULL,
  tenant_key     BIGINT       NOT NULL,
  nonce          VARCHAR(100) NOT NULL,
  code_verifier  VARCHAR(128) NOT NULL,
  console        VARCHAR(8)   NOT NULL,
  expires_at     DATETIME(3)  NOT NULL,
  PRIMARY KEY (state_hash),
  KEY ix_oidc_pending_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
