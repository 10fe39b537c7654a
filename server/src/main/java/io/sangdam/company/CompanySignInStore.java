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

  /** Marks a user as signing in through the company ({@code LDAP} or {@code OIDC}), not with a password here. */
  void markCompanyUser(long userId, String signIn);
}
