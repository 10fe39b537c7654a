package io.sangdam.store;

import io.sangdam.auth.AuthStore;
import io.sangdam.auth.CustomRole;
import io.sangdam.crypto.FieldCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Credentials, login tokens and visitor identities in MariaDB. */
public final class JdbcAuthStore implements AuthStore {
  private final Sql sql;
  private final FieldCipher fields;

  public JdbcAuthStore(Database db) {
    this.sql = new Sql(db);
    this.fields = db.fields();
  }

  @Override
  public Optional<Credentials> credentials(Long tenantId, String username) {
    return sql.one("""
        SELECT id, password_hash, status, sign_in FROM app_user WHERE tenant_key = ? AND username = ?
        """, rs -> new Credentials(rs.getLong("id"), rs.getString("password_hash"),
        rs.getString("status").equals("ACTIVE"), rs.getString("sign_in").equals("PASSWORD")),
        tenantId == null ? 0L : tenantId, username);
  }

  @Override
  public Optional<CustomRole> customRole(long userId) {
    return sql.one(JdbcRoleStore.ROLE_OF_USER, JdbcRoleStore::role, userId);
  }

  @Override
  public void insertToken(byte[] hash, long userId, Instant createdAt, Instant expiresAt,
      boolean passwordChangeOnly) {
    sql.update("""
        INSERT INTO auth_token (token_hash, user_id, created_at, expires_at, last_used_at, password_change_only)
        VALUES (?, ?, ?, ?, ?, ?)
        """, hash, userId, createdAt, expiresAt, createdAt, passwordChangeOnly);
  }

  @Override
  public void touchToken(byte[] hash, Instant at) {
    sql.update("UPDATE auth_token SET last_used_at = ? WHERE token_hash = ?", at, hash);
  }

  @Override
  public void renewToken(byte[] hash, Instant expiresAt, Instant at) {
    sql.update("UPDATE auth_token SET expires_at = ?, last_used_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
        expiresAt, at, hash);
  }

  @Override
  public Optional<StoredToken> token(byte[] hash) {
    // Tokens from before last uses were kept count from their creation.
    return sql.one("""
        SELECT user_id, expires_at, revoked_at, COALESCE(last_used_at, created_at) AS last_used_at,
          password_change_only FROM auth_token WHERE token_hash = ?
        """, rs -> new StoredToken(rs.getLong("user_id"), Sql.instant(rs, "expires_at"),
            rs.getObject("revoked_at") != null, Sql.instant(rs, "last_used_at"), rs.getBoolean("password_change_only")),
        hash);
  }

  @Override
  public void revokeToken(byte[] hash, Instant at) {
    sql.update("UPDATE auth_token SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL", at, hash);
  }

  @Override
  public void revokeTokensOf(long userId, Instant at) {
    sql.update("UPDATE auth_token SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", at, userId);
  }

  @Override
  public Optional<Visitor> visitor(long tenantId, byte[] visitorHash) {
    return sql.one("SELECT id, tenant_id, name, external_id FROM customer WHERE tenant_id = ? AND visitor_hash = ?",
        JdbcAuthStore::visitor, tenantId, visitorHash);
  }

  @Override
  public Optional<Visitor> visitorAnywhere(byte[] visitorHash) {
    return sql.one("""
        SELECT c.id, c.tenant_id, c.name, c.external_id FROM customer c JOIN tenant t ON t.id = c.tenant_id
        WHERE c.visitor_hash = ? AND t.status = 'ACTIVE'
        """, JdbcAuthStore::visitor, (Object) visitorHash);
  }

  @Override
  public Visitor insertVisitor(long tenantId, byte[] visitorHash, String name, Instant at) {
    long id = sql.insert("""
        INSERT INTO customer (tenant_id, visitor_hash, name, created_at) VALUES (?, ?, ?, ?)
        """, tenantId, visitorHash, name, at);
    return new Visitor(id, tenantId, name, null);
  }

  private static Visitor visitor(ResultSet rs) throws SQLException {
    return new Visitor(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("name"), rs.getString("external_id"));
  }

  @Override
  public Optional<Visitor> customerByExternalId(long tenantId, String externalId) {
    // A channel's customer linked to the external id is the same person but not a widget visitor: never
    // signed in as, so the widget's verified customer keeps a record of its own.
    return sql.one("SELECT id, tenant_id, name, external_id FROM customer WHERE tenant_id = ? AND external_id = ? "
        + "AND channel_id IS NULL ORDER BY id LIMIT 1", JdbcAuthStore::visitor, tenantId, externalId);
  }

  @Override
  public void verify(long customerId, String externalId, byte[] visitorHash) {
    sql.update("UPDATE customer SET external_id = ?, visitor_hash = ? WHERE id = ?", externalId, visitorHash,
        customerId);
  }

  @Override
  public void updateProfile(long customerId, String name, String contact) {
    sql.update("""
        UPDATE customer SET name = COALESCE(?, name), contact = COALESCE(?, contact),
               contact_index = COALESCE(?, contact_index)
        WHERE id = ?""", name, fields.seal(contact), fields.contactIndex(contact),
        customerId);
  }

  @Override
  public Optional<String> identitySecret(long tenantId) {
    return sql.one("SELECT identity_secret FROM tenant WHERE id = ? AND identity_secret IS NOT NULL",
        rs -> rs.getString(1), tenantId);
  }

  @Override
  public void setIdentitySecret(long tenantId, String secret) {
    sql.update("UPDATE tenant SET identity_secret = ? WHERE id = ?", secret, tenantId);
  }
}
