package io.sangdam.auth;

import java.time.Instant;
import java.util.Optional;

/** What authentication needs persisted. Implemented in {@code store}; every method blocks on the database. */
public interface AuthStore {
  /** Login data of a user; {@code tenantId} null looks among HQ users. */
  Optional<Credentials> credentials(Long tenantId, String username);

  /** The custom role the user holds, if any: read with their token, so a principal carries its permissions. */
  Optional<CustomRole> customRole(long userId);

  /** {@code passwordChangeOnly}: the token may only change its user's password. Its last use is its creation. */
  void insertToken(byte[] hash, long userId, Instant createdAt, Instant expiresAt, boolean passwordChangeOnly);

  /** Records that the token was used {@code at}. */
  void touchToken(byte[] hash, Instant at);

  /** The token now expires at {@code expiresAt}; renewing it is a use {@code at}. */
  void renewToken(byte[] hash, Instant expiresAt, Instant at);

  Optional<StoredToken> token(byte[] hash);

  void revokeToken(byte[] hash, Instant at);

  /** Revokes every token of a user. */
  void revokeTokensOf(long userId, Instant at);

  Optional<Visitor> visitor(long tenantId, byte[] visitorHash);

  /** The customer holding a visitor token, whatever their (enabled) tenant: tokens are random and 256 bits long. */
  Optional<Visitor> visitorAnywhere(byte[] visitorHash);

  Visitor insertVisitor(long tenantId, byte[] visitorHash, String name, Instant at);

  /** The widget customer a company knows by {@code externalId} (never a channel's customer linked to it). */
  Optional<Visitor> customerByExternalId(long tenantId, String externalId);

  /** Points a customer at a new visitor token, and records the verified external id. */
  void verify(long customerId, String externalId, byte[] visitorHash);

  /** Updates what the customer said of themselves (null: unchanged). */
  void updateProfile(long customerId, String name, String contact);

  Optional<String> identitySecret(long tenantId);

  void setIdentitySecret(long tenantId, String secret);

  /** {@code local}: the user signs in with a password kept here, not through the company's directory. */
  record Credentials(long userId, String passwordHash, boolean enabled, boolean local) {}

  /** {@code lastUsedAt}: its creation, or a use at most a minute before the last. */
  record StoredToken(long userId, Instant expiresAt, boolean revoked, Instant lastUsedAt, boolean passwordChangeOnly) {}

  /** A customer as known by their visitor token. */
  record Visitor(long customerId, long tenantId, String name, String externalId) {}
}
