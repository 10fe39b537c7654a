package io.sangdam.auth;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Optional;

/**
 * Identifies customers by their visitor token: a random secret the widget keeps, stored only as
 * its hash. An unknown or absent token makes a new customer with a new token. Blocks on the database.
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

  /** The customer and the token to hand back (the same one when it was recognised). */
  public record Identified(AuthStore.Visitor visitor, String token) {}

  public Identified identify(long tenantId, Optional<String> token, Optional<String> name) {
    if (token.isPresent()) {
      Optional<AuthStore.Visitor> known = store.visitor(tenantId, Secrets.hash(token.get()));
      if (known.isPresent()) {
        return new Identified(known.get(), token.get());
      }
    }
    String fresh = secrets.newToken();
    String customerName = name.filter(n -> !n.isBlank()).orElse("고객");
    return new Identified(store.insertVisitor(tenantId, Secrets.hash(fresh), customerName, clock.instant()), fresh);
  }
}
