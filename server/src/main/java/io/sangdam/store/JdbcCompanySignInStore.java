package io.sangdam.store;

import io.sangdam.auth.Secrets;
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
  public Optional<Long> userOf(long tenantKey, Identity identity) {
    return sql.one("SELECT id FROM app_user WHERE company_identity = ?", rs -> rs.getLong("id"),
        (Object) key(tenantKey, identity));
  }

  @Override
  public Optional<SignIn> signIn(long userId) {
    return sql.one("SELECT sign_in, company_issuer, company_subject FROM app_user WHERE id = ?", rs -> {
      String method = rs.getString("sign_in");
      String issuer = rs.getString("company_issuer");
      return new SignIn(method, issuer == null ? null : new Identity(method, issuer, rs.getString("company_subject")));
    }, userId);
  }

  @Override
  public void bind(long userId, long tenantKey, Identity identity) {
    try {
      sql.update("""
          UPDATE app_user SET sign_in = ?, company_issuer = ?, company_subject = ?, company_identity = ?
          WHERE id = ? AND tenant_key = ?
          """, identity.signIn(), identity.issuer(), identity.subject(), key(tenantKey, identity), userId, tenantKey);
    } catch (StoreException e) {
      if (Sql.isDuplicate(e)) {
        throw new AlreadyBound("identity " + identity + " is bound to another user");
      }
      throw e;
    }
  }

  /**
   * The unique key of an identity in a tenant. An issuer never holds a line break (a URL, or the name of an LDAP
   * attribute), so no two identities give the same text.
   */
  private static byte[] key(long tenantKey, Identity identity) {
    return Secrets.hash(tenantKey + "\n" + identity.signIn() + "\n" + identity.issuer() + "\n" + identity.subject());
  }
}
