package io.sangdam.presence;

import io.sangdam.auth.AuthStore;
import io.sangdam.auth.CustomRole;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The visitors' half of the auth store in memory, for the widget's {@code hello}: anonymous
 * visitors by token hash, their names and contacts. No tenant has an identity secret, so no
 * external id is ever verified; the users' tokens are not the widget's business.
 */
final class InMemoryVisitors implements AuthStore {
  private final Map<String, Visitor> byHash = new ConcurrentHashMap<>();
  final Map<Long, String> contacts = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(7);

  private static String key(byte[] hash) {
    return HexFormat.of().formatHex(hash);
  }

  @Override
  public Optional<Visitor> visitor(long tenantId, byte[] visitorHash) {
    return Optional.ofNullable(byHash.get(key(visitorHash))).filter(v -> v.tenantId() == tenantId);
  }

  @Override
  public Optional<Visitor> visitorAnywhere(byte[] visitorHash) {
    return Optional.ofNullable(byHash.get(key(visitorHash)));
  }

  @Override
  public Visitor insertVisitor(long tenantId, byte[] visitorHash, String name, Instant at) {
    Visitor v = new Visitor(ids.getAndIncrement(), tenantId, name, null);
    byHash.put(key(visitorHash), v);
    return v;
  }

  @Override
  public void updateProfile(long customerId, String name, String contact) {
    byHash.replaceAll((hash, v) -> v.customerId() == customerId && name != null
        ? new Visitor(customerId, v.tenantId(), name, v.externalId()) : v);
    if (contact != null) {
      contacts.put(customerId, contact);
    }
  }

  @Override
  public Optional<Visitor> customerByExternalId(long tenantId, String externalId) {
    return Optional.empty();
  }

  @Override
  public Optional<String> identitySecret(long tenantId) {
    return Optional.empty();
  }

  @Override
  public void verify(long customerId, String externalId, byte[] visitorHash) {
    throw new AssertionError("no tenant here verifies customers");
  }

  @Override
  public void setIdentitySecret(long tenantId, String secret) {
    throw notHere();
  }

  @Override
  public Optional<Credentials> credentials(Long tenantId, String username) {
    throw notHere();
  }

  @Override
  public Optional<CustomRole> customRole(long userId) {
    throw notHere();
  }

  @Override
  public void insertToken(byte[] hash, long userId, Instant createdAt, Instant expiresAt,
      boolean passwordChangeOnly) {
    throw notHere();
  }

  @Override
  public void touchToken(byte[] hash, Instant at) {
    throw notHere();
  }

  @Override
  public void renewToken(byte[] hash, Instant expiresAt, Instant at) {
    throw notHere();
  }

  @Override
  public Optional<StoredToken> token(byte[] hash) {
    throw notHere();
  }

  @Override
  public void revokeToken(byte[] hash, Instant at) {
    throw notHere();
  }

  @Override
  public void revokeTokensOf(long userId, Instant at) {
    throw notHere();
  }

  private static UnsupportedOperationException notHere() {
    return new UnsupportedOperationException("users' sign-in is not the widget's");
  }
}
