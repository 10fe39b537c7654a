package io.sangdam.bot;

import java.util.List;
import java.util.Optional;

/**
 * A tenant's external bots in the database. Every method but {@link #byTokenHash} takes the tenant first and finds
 * nothing of another tenant. Implemented in {@code store}; methods block.
 */
public interface BotEndpointStore {
  BotEndpoint insert(BotEndpoint endpoint, byte[] tokenHash);

  List<BotEndpoint> forTenant(long tenantId);

  Optional<BotEndpoint> find(long tenantId, String code);

  /** The endpoint whose reply token hashes to {@code tokenHash}, of whichever tenant. */
  Optional<BotEndpoint> byTokenHash(byte[] tokenHash);

  /** Name, URL, timeouts and the enabled flag as given; the secret and the token stay. */
  BotEndpoint update(BotEndpoint endpoint);

  /** A new secret and reply token replace the old ones, which stop working at once. */
  BotEndpoint rotate(BotEndpoint endpoint, String secret, byte[] tokenHash);
}
