package io.sangdam.webhook;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sangdam.changes.Change;
import io.sangdam.changes.Changes;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's webhooks, and the hand-over of their events: each event becomes one signed JSON POST
 * per subscribed URL, written to the outbox and sent by {@link WebhookDeliveries}. Chat only hands
 * events over: it never waits for a URL or for the database. Events are turned into deliveries on
 * a thread of their own, many at a time, so a burst costs one outbox write per batch.
 */
public final class Webhooks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
  /**
   * Events handed over and not yet written to the outbox, at most (the outbox is written a batch
   * at a time, off the chat thread). Past it, while the database is slower than chat, an event is
   * dropped rather than held or waited for: counted, and the count logged when the first is
   * dropped and after each batch written meanwhile.
   */
  static final int MAX_QUEUED = 10_000;
  /** Events turned into deliveries together, in one outbox write. */
  private static final int BATCH = 256;

  /** An event as chat hands it over; {@code data} is built only when some webhook wants it. */
  private record Event(long tenantId, String event, Supplier<Object> data) {}

  private final WebhookStore store;
  private final WebhookUrls urls;
  private final WebhookDeliveries deliveries;
  private final LongFunction<String> tenantCodes;
  private final Json json;
  private final Clock clock;
  private final Changes changes;
  private final SecureRandom random = new SecureRandom();
  private final BlockingQueue<Event> events = new ArrayBlockingQueue<>(MAX_QUEUED);
  /** Events dropped since the last log of them. */
  private final AtomicLong dropped = new AtomicLong();
  /** Reads a tenant's hooks (from the cache, else the store), writes the outbox and sends; never a chat thread. */
  private final Thread dispatcher = new Thread(this::dispatchEvents, "webhooks");
  private final Cache<Long, List<Webhook>> byTenant = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofSeconds(30)).build();

  /**
   * {@code tenantCodes}: a tenant's code by id, read on the webhook thread for each delivery's
   * envelope. {@code allowLoopback}: whether a URL may name this machine or a link-local address
   * (tests, single-host installs). {@code changes}: where a change of a tenant's webhooks is announced,
   * so other nodes stop using their cached list. Starts polling the outbox for due deliveries, then takes events.
   */
  public Webhooks(WebhookStore store, WebhookOutbox outbox, LongFunction<String> tenantCodes, Json json, Clock clock,
      boolean allowLoopback, Changes changes) {
    this.store = requireNonNull(store, "store");
    this.urls = WebhookUrls.system(allowLoopback);
    this.tenantCodes = requireNonNull(tenantCodes, "tenantCodes");
    this.json = requireNonNull(json, "json");
    this.clock = requireNonNull(clock, "clock");
    this.changes = requireNonNull(changes, "changes");
    this.deliveries = new WebhookDeliveries(outbox, urls, clock, WebhookDeliveries.BACKOFF,
        WebhookDeliveries.WINDOW, WebhookDeliveries.POLL);
    deliveries.resume();
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  public List<Webhook> list(long tenantId) {
    return store.forTenant(tenantId);
  }

  public Optional<Webhook> find(long tenantId, long id) {
    return store.find(tenantId, id);
  }

  /** A new webhook with a fresh secret (returned this once). */
  public Webhook create(long tenantId, String url, Set<String> events) {
    Webhook created = store.insert(tenantId, urls.checked(url), newSecret(), checkedEvents(events));
    changed(tenantId);
    return created;
  }

  public Webhook update(Webhook webhook, Optional<String> url, Optional<Set<String>> events, Optional<Boolean> enabled) {
    Webhook changed = store.update(new Webhook(webhook.id(), webhook.tenantId(), url.map(urls::checked)
        .orElse(webhook.url()), webhook.secret(), events.map(Webhooks::checkedEvents).orElse(webhook.events()),
        enabled.orElse(webhook.enabled()), webhook.createdAt()));
    changed(webhook.tenantId());
    return changed;
  }

  public boolean delete(long tenantId, long id) {
    boolean deleted = store.delete(tenantId, id);
    changed(tenantId);
    return deleted;
  }

  private void changed(long tenantId) {
    byTenant.invalidate(tenantId);
    changes.changed(new Change.WebhooksChanged(tenantId));
  }

  /** Changes made elsewhere may have been missed: each tenant's webhooks are read again at its next event. */
  public void forgetAll() {
    byTenant.invalidateAll();
  }

  /** Another node changed the tenant's webhooks: the next event reads them again. */
  public void changedElsewhere(long tenantId) {
    byTenant.invalidate(tenantId);
  }

  private static Set<String> checkedEvents(Set<String> events) {
    if (events.isEmpty() || !Webhook.EVENTS.containsAll(events)) {
      throw Fields.invalid("events", "must name one or more of " + new TreeSet<>(Webhook.EVENTS));
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
    if (!events.offer(new Event(tenantId, event, data)) && dropped.getAndIncrement() == 0) {
      log.warn("webhooks: {} events waiting to be written to the outbox (or stopped): {} of tenant {} dropped,"
          + " and every event until the queue has room", MAX_QUEUED, event, tenantId);
    }
  }

  /**
   * The webhook thread: takes the events waiting (up to {@value #BATCH}), writes their deliveries
   * to the outbox at once and sends them. At a stop, what is still waiting is written to the
   * outbox only, for the next start.
   */
  private void dispatchEvents() {
    List<Event> batch = new ArrayList<>(BATCH);
    while (true) {
      try {
        batch.add(events.take());
      } catch (InterruptedException stopping) {
        events.drainTo(batch);
        deliveries.keep(deliveriesOf(batch));
        return;
      }
      events.drainTo(batch, BATCH - 1);
      try {
        deliveries.deliver(deliveriesOf(batch));
      } catch (RuntimeException e) {
        log.warn("webhooks: {} events not delivered: {}", batch.size(), e.toString());
      }
      batch.clear();
      long lost = dropped.getAndSet(0);
      if (lost > 0) {
        log.warn("webhooks: {} events dropped while {} were waiting to be written to the outbox", lost, MAX_QUEUED);
      }
    }
  }

  private List<WebhookOutbox.Delivery> deliveriesOf(List<Event> batch) {
    List<WebhookOutbox.Delivery> out = new ArrayList<>();
    for (Event e : batch) {
      try {
        out.addAll(deliveriesOf(e));
      } catch (RuntimeException failure) {
        log.warn("webhooks of tenant {}: {} not delivered: {}", e.tenantId(), e.event(), failure.getMessage());
      }
    }
    return out;
  }

  /** The tenant's hooks for the event, the body built once, a delivery each. */
  private List<WebhookOutbox.Delivery> deliveriesOf(Event e) {
    List<Webhook> hooks = byTenant.get(e.tenantId(), store::forTenant).stream()
        .filter(h -> h.enabled() && h.events().contains(e.event())).toList();
    if (hooks.isEmpty()) {
      return List.of();
    }
    String id = UUID.randomUUID().toString();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("event", e.event());
    body.put("at", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
    body.put("tenant", tenantCodes.apply(e.tenantId()));
    body.put("data", e.data().get());
    byte[] bytes = json.write(body);
    return hooks.stream().map(h -> new WebhookOutbox.Delivery(id, h, e.event(), bytes, 0, clock.instant())).toList();
  }

  /**
   * Stops: events still waiting are written to the outbox (for up to 5 s), deliveries still
   * retrying stay there; the next start sends both.
   */
  @Override
  public void close() {
    dispatcher.interrupt();
    try {
      dispatcher.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deliveries.close();
  }
}
