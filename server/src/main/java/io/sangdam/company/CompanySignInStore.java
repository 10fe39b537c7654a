package io.sangdam.company;

import java.time.Instant;
import java.util.Optional;

/**
 * What company sign-in keeps. Implemented in {@code store}; every method blocks on the database. A
 * tenant key is the tenant's id, or 0 for HQ.
 */
public interface CompanySignInStore {
  /** The settings as JSON, with the two secrets (null when not set). */
  record Stored(String settingsJson, String ldapBindPassword, String oidcClientSecret) {}

  Optional<Stored> settings(long tenantKey);

  void save(long tenantKey, Stored stored, Instant at);

  /**
   * An OpenID Connect sign-in waiting for the provider's callback; {@code browserHash} is the SHA-256 of the
   * value the starting browser was given in a cookie.
   */
  record Pending(long tenantKey, byte[] browserHash, String nonce, String codeVerifier, String console) {}

  void insertPending(byte[] stateHash, Pending pending, Instant expiresAt);

  /** The pending sign-in of this state, deleted so that it is used once; empty when unknown or expired. */
  Optional<Pending> takePending(byte[] stateHash, Instant now);

  /** Deletes at most {@code limit} expired pending sign-ins. */
  void deleteExpired(Instant now, int limit);

  long pendingCount();

  /**
   * Who the company's directory says a person is, whatever their username: {@code signIn} is {@code LDAP} or
   * {@code OIDC}; for OIDC {@code issuer} is the provider's issuer and {@code subject} the person's sub, for
   * LDAP {@code issuer} names the entry's identifier ({@code objectGUID}, {@code entryUUID} or {@code dn})
   * and {@code subject} is its value.
   */
  record Identity(String signIn, String issuer, String subject) {
    @Override
    public String toString() {
      return signIn + " " + issuer + " " + subject;
    }
  }

  /** How a user signs in ({@code PASSWORD}, {@code LDAP} or {@code OIDC}) and the identity bound to them, if any. */
  record SignIn(String method, Identity identity) {}

  /** The user of the tenant bound to this identity. */
  Optional<Long> userOf(long tenantKey, Identity identity);

  Optional<SignIn> signIn(long userId);

  /**
   * Binds a user of the tenant to an identity: from now on they sign in through the company as that
   * identity only. Throws {@link AlreadyBound} when another user of the tenant is bound to it.
   */
  void bind(long userId, long tenantKey, Identity identity);

  /** Two sign-ins of a new person at once: the first bound the identity. */
  final class AlreadyBound extends RuntimeException {
    public AlreadyBound(String message) {
      super(message);
    }
  }
}
