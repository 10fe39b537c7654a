package io.sangdam.webhook;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's webhooks, and their deliveries: each event becomes one signed JSON POST per
 * subscribed URL, sent from a thread of its own and retried with backoff (1 s, 5 s, 30 s, 2 min,
 * 10 min) until the URL answers 2xx. Chat only hands events over: it never waits for a URL. Pending
 * deliveries live in memory, at most {@value #MAX_PENDING}; a restart drops those still retrying.
 */
public final class Webhooks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
  private static final long[] BACKOFF_SECONDS = {1, 5, 30, 120, 600};
  static final int MAX_PENDING = 10_000;
  private static final int MAX_URL = 500;

  private final WebhookStore store;
  /** Whether a URL may name this machine or a link-local address (tests, single-host installs). */
  private final boolean allowLoopback;
  private final LongFunction<String> tenantCodes;
  private final Json json;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  /** Reads a tenant's hooks (from the cache, else the store) and sends; never a chat thread. */
  private final ExecutorService dispatcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(MAX_PENDING), r -> new Thread(r, "webhooks"));
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
      r -> new Thread(r, "webhook-retries"));
  private final Cache<Long, List<Webhook>> byTenant = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofSeconds(30)).build();
  private final AtomicInteger pending = new AtomicInteger();

  /** {@code tenantCodes}: a tenant's code by id, read on the webhook thread for each delivery's envelope. */
  public Webhooks(WebhookStore store, LongFunction<String> tenantCodes, Json json, Clock clock,
      boolean allowLoopback) {
    this.allowLoopback = allowLoopback;
    this.store = requireNonNull(store, "store");
    this.tenantCodes = requireNonNull(tenantCodes, "tenantCodes");
    this.json = requireNonNull(json, "json");
    this.clock = requireNonNull(clock, "clock");
  }

  public List<Webhook> list(long tenantId) {
    return store.forTenant(tenantId);
  }

  public Optional<Webhook> find(long tenantId, long id) {
    return store.find(tenantId, id);
  }

  /** A new webhook with a fresh secret (returned this once). */
  public Webhook create(long tenantId, String url, Set<String> events) {
    Webhook created = store.insert(tenantId, checkedUrl(url, allowLoopback), newSecret(), checkedEvents(events));
    byTenant.invalidate(tenantId);
    return created;
  }

  public Webhook update(Webhook webhook, Optional<String> url, Optional<Set<String>> events, Optional<Boolean> enabled) {
    Webhook changed = store.update(new Webhook(webhook.id(), webhook.tenantId(), url.map(u -> checkedUrl(u,
        allowLoopback)).orElse(webhook.url()), webhook.secret(), events.map(Webhooks::checkedEvents).orElse(webhook.events()),
        enabled.orElse(webhook.enabled()), webhook.createdAt()));
    byTenant.invalidate(webhook.tenantId());
    return changed;
  }

  public boolean delete(long tenantId, long id) {
    boolean deleted = store.delete(tenantId, id);
    byTenant.invalidate(tenantId);
    return deleted;
  }

  /**
   * An absolute http(s) URL; unless {@code allowLoopback}, not one whose host is, or resolves to,
   * this machine or a link-local address. Checked when registered (a name that later resolves
   * elsewhere is not caught: see the README).
   */
  static String checkedUrl(String url, boolean allowLoopback) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw Fields.invalid("url", "must be an absolute http or https URL");
    }
    if (url.length() > MAX_URL || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw Fields.invalid("url", "must be an absolute http or https URL of at most " + MAX_URL + " characters");
    }
    if (!allowLoopback) {
      try {
        for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
          if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()) {
            throw Fields.invalid("url", "must not point at this server or a link-local address");
          }
        }
      } catch (UnknownHostException e) {
        throw Fields.invalid("url", "names a host this server cannot resolve: " + uri.getHost());
      }
    }
    return url;
  }

  private static Set<String> checkedEvents(Set<String> events) {
    if (events.isEmpty() || !Webhook.EVENTS.containsAll(events)) {
      throw Fields.invalid("events", "must name one or more of " + new java.util.TreeSet<>(Webhook.EVENTS));
    }
    return Set.copyOf(events);
  }

  private String newSecret() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Hands an event over; returns at once. {@code data} is built on the webhook thread, only when
   * some enabled webhook of the tenant asks for {@code event}.
   */
  public void publish(long tenantId, String event, Supplier<Object> data) {
    // Most tenants have no webhook: known so, the event costs a cache look-up and no hand-off.
    List<Webhook> known = byTenant.getIfPresent(tenantId);
    if (known != null && known.stream().noneMatch(h -> h.enabled() && h.events().contains(event))) {
      return;
    }
    try {
      dispatcher.execute(() -> {
        try {
          dispatch(tenantId, event, data);
        } catch (RuntimeException e) {
          log.warn("webhooks of tenant {}: {} not delivered: {}", tenantId, event, e.getMessage());
        }
      });
    } catch (RejectedExecutionException e) {
      log.warn("webhooks of tenant {}: {} events waiting (or stopped), {} dropped", tenantId, MAX_PENDING, event);
    }
  }

  /** On the webhook thread: the tenant's hooks for {@code event}, the body built once, a delivery each. */
  private void dispatch(long tenantId, String event, Supplier<Object> data) {
    List<Webhook> hooks = byTenant.get(tenantId, store::forTenant).stream()
        .filter(h -> h.enabled() && h.events().contains(event)).toList();
    if (hooks.isEmpty()) {
      return;
    }
    String tenantCode = tenantCodes.apply(tenantId);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", UUID.randomUUID().toString());
    body.put("event", event);
    body.put("at", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
    body.put("tenant", tenantCode);
    body.put("data", data.get());
    byte[] bytes = json.write(body);
    for (Webhook hook : hooks) {
      if (pending.incrementAndGet() > MAX_PENDING) {
        pending.decrementAndGet();
        log.warn("webhook {} of tenant {}: {} deliveries pending, {} dropped", hook.id(), tenantCode,
            MAX_PENDING, event);
        continue;
      }
      send(hook, event, (String) body.get("id"), bytes, 0);
    }
  }

  private void send(Webhook hook, String event, String delivery, byte[] body, int attempt) {
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request = HttpRequest.newBuilder(URI.create(hook.url()))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "Sangdam-Webhooks")
        .header("X-Sangdam-Event", event)
        .header("X-Sangdam-Delivery", delivery)
        .header("X-Sangdam-Signature", "t=" + timestamp + ",v1=" + sign(hook.secret(), timestamp, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, e) -> {
      if (e == null && response.statusCode() / 100 == 2) {
        pending.decrementAndGet();
        return;
      }
      String why = e != null ? e.toString() : "status " + response.statusCode();
      if (attempt >= BACKOFF_SECONDS.length) {
        pending.decrementAndGet();
        log.warn("webhook {} gave up on {} {} after {} attempts: {}", hook.id(), event, delivery, attempt + 1, why);
        return;
      }
      log.debug("webhook {}: {} {} failed ({}), again in {} s", hook.id(), event, delivery, why,
          BACKOFF_SECONDS[attempt]);
      try {
        retries.schedule(() -> send(hook, event, delivery, body, attempt + 1), BACKOFF_SECONDS[attempt],
            TimeUnit.SECONDS);
      } catch (RejectedExecutionException stopped) {
        pending.decrementAndGet();
      }
    });
  }

  /** HMAC-SHA256 of "{timestamp}.{body}" with the webhook's secret, in hex: what a receiver recomputes. */
  static String sign(String secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** Deliveries still retrying are dropped: they live in memory only. */
  @Override
  public void close() {
    dispatcher.shutdown();
    retries.shutdownNow();
  }
}
