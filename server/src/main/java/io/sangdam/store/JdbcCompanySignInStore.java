package io.sangdam.store;

import io.sangdam.company.CompanySignInStore;
import io.sangdam.crypto.FieldCipher;
import java.time.Instant;
import java.util.Optional;

/**
 * Company sign-in settings and pending OpenID Connect sign-ins in MariaDB. The two secrets are sealed as personal
 * fields are (V048), so a dump of the database does not give away the company directory's bind account.
 */
public final class JdbcCompanySignInStore implements CompanySignInStore {
  private final Sql sql;
  private final FieldCipher fields;

  public JdbcCompanySignInStore(Database db) {
    this.sql = new Sql(db);
    this.fields = db.fields();
  }

  @Override
  public Optional<Stored> settings(long tenantKey) {
    return sql.one("""
        SELECT settings, ldap_bind_password, oidc_client_secret FROM company_sign_in WHERE tenant_key = ?
        """, rs -> new Stored(rs.getString("settings"), fields.open(rs.getString("ldap_bind_password")),
        fields.open(rs.getString("oidc_client_secret"))), tenantKey);
  }

  @Override
  public void save(long tenantKey, Stored stored, Instant at) {
    sql.update("""
        INSERT INTO company_sign_in (tenant_key, settings, ldap_bind_password, oidc_client_secret, updated_at)
        VALUES (?, ?, ?, ?, ?)
        ON DUPLICATE KEY UPDATE settings = VALUES(settings), ldap_bind_password = VALUES(ldap_bind_password),
          oidc_client_secret = VALUES(oidc_client_secret), updated_at = VALUES(updated_at)
        """, tenantKey, stored.settingsJson(), fields.seal(stored.ldapBindPassword()),
        fields.seal(stored.oidcClientSecret()), at);
  }

  @Override
  public void insertPending(byte[] stateHash, Pending pending, Instant expiresAt) {
    sql.update("""
        INSERT INTO oidc_pending_sign_in (state_hash, tenant_key, browser_hash, nonce, code_verifier, console,
          expires_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """, stateHash, pending.tenantKey(), pending.browserHash(), pending.nonce(), pending.codeVerifier(),
        pending.console(), expiresAt);
  }

  @Override
  public Optional<Pending> takePending(byte[] stateHash, Instant now) {
    return sql.transaction(c -> {
      Optional<Pending> pending = Sql.list(c, """
          SELECT tenant_key, browser_hash, nonce, code_verifier, console FROM oidc_pending_sign_in
          WHERE state_hash = ? AND expires_at > ? FOR UPDATE
          """, rs -> new Pending(rs.getLong("tenant_key"), rs.getBytes("browser_hash"), rs.getString("nonce"),
          rs.getString("code_verifier"), rs.getString("console")), stateHash, now).stream().findFirst();
      // Deleted whether expired or not: a state is good for one callback.
      Sql.update(c, "DELETE FROM oidc_pending_sign_in WHERE state_hash = ?", (Object) stateHash);
      return pending;
    });
  }

  @Override
  public void deleteExpired(Instant now, int limit) {
    sql.update("DELETE FROM oidc_pending_sign_in WHERE expires_at <= ? LIMIT ?", now, limit);
  }

  @Override
  public long pendingCount() {
    return sql.one("SELECT COUNT(*) FROM oidc_pending_sign_in", rs -> rs.getLong(1)).orElse(0L);
  }

  @Override
  public void markCompanyUser(long userId, String signIn) {
    sql.update("UPDATE app_user SET sign_in = ? WHERE id = ?", signIn, userId);
  }
}
