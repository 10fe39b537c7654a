package io.sangdam.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Identifies customers by their visitor token: a random secret the widget keeps, stored only as
 * its hash. An unknown or absent token makes a new customer with a new token.
 *
 * <p>A company page may vouch for its customer: it passes the customer's id in its own systems
 * with {@code HMAC-SHA256(tenant secret, externalId)} in lowercase hex. A matching signature
 * identifies the customer by that id (their history follows them across devices); any other is
 * refused and the visitor stays anonymous. Blocks on the database.
 */
public final class Visitors {
  private final AuthStore store;
  private final Secrets secrets;
  private final Clock clock;

  public Visitors(AuthStore store, Secrets secrets, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.secrets = requireNonNull(secrets, "secrets");
    this.clock = requireNonNull(clock, "clock");
  }

  /** The customer and the token to hand back. {@code identity}: VERIFIED, REFUSED (bad signature) or NONE. */
  public record Identified(AuthStore.Visitor visitor, String token, Identity identity) {}

  public enum Identity { NONE, VERIFIED, REFUSED }

  /** What the company page claims: the customer's external id and its signature. */
  public record Claim(String externalId, String signature) {}

  public Identified identify(long tenantId, Optional<String> token, Optional<String> name, Optional<String> contact,
      Optional<Claim> claim) {
    Optional<AuthStore.Visitor> known = token.flatMap(t -> store.visitor(tenantId, Secrets.hash(t)));
    Identity identity = Identity.NONE;
    if (claim.isPresent()) {
      identity = signedByTenant(tenantId, claim.get()) ? Identity.VERIFIED : Identity.REFUSED;
    }
    AuthStore.Visitor visitor;
    String visitorToken;
    if (identity == Identity.VERIFIED) {
      String externalId = claim.get().externalId();
      visitorToken = known.filter(v -> externalId.equals(v.externalId())).map(v -> token.get())
          .orElseGet(secrets::newToken);
      // The company's customer keeps one record: an anonymous visitor who logs in becomes them.
      AuthStore.Visitor customer = store.customerByExternalId(tenantId, externalId)
          .or(() -> known.filter(v -> v.externalId() == null))
          .orElseGet(() -> store.insertVisitor(tenantId, Secrets.hash(visitorToken),
              name.filter(n -> !n.isBlank()).orElse("고객"), clock.instant()));
      store.verify(customer.customerId(), externalId, Secrets.hash(visitorToken));
      visitor = new AuthStore.Visitor(customer.customerId(), tenantId, customer.name(), externalId);
    } else if (known.isPresent() && known.get().externalId() == null) {
      visitor = known.get();
      visitorToken = token.get();
    } else {
      visitorToken = secrets.newToken();
      visitor = store.insertVisitor(tenantId, Secrets.hash(visitorToken), name.filter(n -> !n.isBlank()).orElse("고객"),
          clock.instant());
    }
    if (name.isPresent() || contact.isPresent()) {
      store.updateProfile(visitor.customerId(), name.filter(n -> !n.isBlank()).orElse(null),
          contact.filter(c -> !c.isBlank()).orElse(null));
      visitor = new AuthStore.Visitor(visitor.customerId(), tenantId, name.filter(n -> !n.isBlank())
          .orElse(visitor.name()), visitor.externalId());
    }
    return new Identified(visitor, visitorToken, identity);
  }

  /** The customer holding {@code token}: how a customer proves who they are over HTTP (file uploads). */
  public Optional<AuthStore.Visitor> byToken(String token) {
    if (token == null || token.isEmpty() || token.length() > 200) {
      return Optional.empty();
    }
    return store.visitorAnywhere(Secrets.hash(token));
  }

  private boolean signedByTenant(long tenantId, Claim claim) {
    Optional<String> secret = store.identitySecret(tenantId);
    if (secret.isEmpty()) {
      return false;
    }
    byte[] expected = hmac(secret.get(), claim.externalId());
    byte[] given;
    try {
      given = HexFormat.of().parseHex(claim.signature().toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(expected, given);
  }

  /** {@code HMAC-SHA256(secret, externalId)}: what a company page computes to vouch for its customer. */
  public static byte[] hmac(String secret, String externalId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(externalId.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** A new signing secret for the tenant, shown once. */
  public String newIdentitySecret(long tenantId) {
    String secret = secrets.newToken();
    store.setIdentitySecret(tenantId, secret);
    return secret;
  }
}
