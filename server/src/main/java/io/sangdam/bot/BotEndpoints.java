package io.sangdam.bot;

import static java.util.Objects.requireNonNull;

import io.sangdam.auth.Secrets;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.webhook.WebhookUrls;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's external bots as configuration: created with a fresh signing secret and reply token (returned this
 * once), changed, their credentials rotated, listed. Their URLs follow the webhooks' rules (http or https, never
 * this machine or a cloud's metadata service unless loopback is allowed). Read anew at each use, so a change holds
 * on every node at once. Blocks.
 */
public final class BotEndpoints {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final int MAX_TIMEOUT_SECONDS = 30;
  public static final Duration DEFAULT_REPLY_WITHIN = Duration.ofSeconds(60);
  public static final int MIN_REPLY_WITHIN_SECONDS = 5;
  public static final int MAX_REPLY_WITHIN_SECONDS = 3600;

  private final BotEndpointStore store;
  private final WebhookUrls urls;
  private final Secrets secrets;
  private final SecureRandom random;
  private final Clock clock;

  public BotEndpoints(BotEndpointStore store, WebhookUrls urls, SecureRandom random, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.urls = requireNonNull(urls, "urls");
    this.random = requireNonNull(random, "random");
    this.secrets = new Secrets(random);
    this.clock = requireNonNull(clock, "clock");
  }

  /** An endpoint with the credentials it was just given, which are shown this once. */
  public record Issued(BotEndpoint endpoint, String token) {}

  public List<BotEndpoint> list(long tenantId) {
    return store.forTenant(tenantId);
  }

  public Optional<BotEndpoint> find(long tenantId, String code) {
    return store.find(tenantId, code);
  }

  /** The endpoint a bearer token of a bot's reply belongs to; empty for any other string. */
  public Optional<BotEndpoint> byToken(String token) {
    return Secrets.looksLikeToken(token) ? store.byTokenHash(Secrets.hash(token)) : Optional.empty();
  }

  /** A new endpoint with a fresh secret and token; a code the tenant has is refused (409). */
  public Issued create(long tenantId, String code, String name, String url, Duration timeout, Duration replyWithin,
      boolean enabled) {
    if (store.find(tenantId, code).isPresent()) {
      throw new SangdamException(ErrorCode.CONFLICT, "bot endpoint '" + code + "' exists");
    }
    String token = secrets.newToken();
    BotEndpoint created = store.insert(new BotEndpoint(0, tenantId, code, name, urls.checked("url", url), newSecret(),
        timeout, replyWithin, enabled, clock.instant()), Secrets.hash(token));
    return new Issued(created, token);
  }

  public BotEndpoint update(BotEndpoint e, Optional<String> name, Optional<String> url, Optional<Duration> timeout,
      Optional<Duration> replyWithin, Optional<Boolean> enabled) {
    return store.update(new BotEndpoint(e.id(), e.tenantId(), e.code(), name.orElse(e.name()),
        url.map(u -> urls.checked("url", u)).orElse(e.url()), e.secret(), timeout.orElse(e.timeout()),
        replyWithin.orElse(e.replyWithin()), enabled.orElse(e.enabled()), e.createdAt()));
  }

  /** A new secret and token (shown this once); the old ones stop working at once. */
  public Issued rotate(BotEndpoint e) {
    String token = secrets.newToken();
    return new Issued(store.rotate(e, newSecret(), Secrets.hash(token)), token);
  }

  private String newSecret() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "bsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
