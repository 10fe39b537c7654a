package io.sangdam.webhook;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends webhook deliveries: each a signed JSON POST, retried with backoff (1 s, 5 s, 30 s, 2 min,
 * 10 min) until the URL answers 2xx, then given up. Every delivery is in the outbox before its
 * first attempt and leaves it on 2xx, so a restart resumes the ones still retrying (a delivery in
 * flight at a stop may be sent twice: receivers dedupe by X-Sangdam-Delivery). The URL's host is
 * resolved and checked before every attempt; one that now points at a forbidden address is given
 * up at once. At most {@value #MAX_IN_FLIGHT} requests are in flight per webhook, so one slow
 * receiver cannot hold every connection; the rest wait their turn.
 *
 * <p>Memory holds a window of deliveries (waiting, in flight, or scheduled for a retry), at most
 * {@link #WINDOW}; the outbox holds them all. A new delivery past the window stays in the outbox
 * only, and a poll of the outbox's due rows, on start and then every {@link #POLL}, takes them into
 * the window as it empties. The poll runs on the thread that writes outcomes, after every outcome
 * queued before it, and skips the rows held in memory, so no delivery is sent twice from here.
 */
final class WebhookDeliveries implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);
  /** The waits between attempts; after the last, the delivery is given up. */
  static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
      Duration.ofMinutes(2), Duration.ofMinutes(10));
  /** Deliveries held in memory at most (waiting, in flight, scheduled for a retry, or their outcome being written). */
  static final int WINDOW = 10_000;
  /** How often the outbox is read for due deliveries that are not in memory. */
  static final Duration POLL = Duration.ofSeconds(5);
  static final int MAX_IN_FLIGHT = 16;

  /** A delivery on its way; {@code kept} when it is in the outbox (false only if writing it there failed). */
  private record Attempt(WebhookOutbox.Delivery delivery, boolean kept) {
    WebhookOutbox.Key key() {
      return new WebhookOutbox.Key(delivery.deliveryId(), delivery.webhook().id());
    }

    long webhookId() {
      return delivery.webhook().id();
    }
  }

  /** One webhook's requests: how many are in flight, and those waiting for a place. */
  private static final class Lane {
    int inFlight;
    final Queue<Attempt> waiting = new ArrayDeque<>();
  }

  private final WebhookOutbox outbox;
  private final WebhookUrls urls;
  private final Clock clock;
  private final List<Duration> backoff;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  /** Resolves, checks and sends: name look-ups block, so not on the HTTP client's or the timer's thread. */
  private final ExecutorService sending = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), r -> new Thread(r, "webhook-sending"));
  /**
   * Writes outcomes to the outbox, in order (answered deliveries are removed in batches), and
   * polls it: one thread, so a poll never reads a row whose outcome is still being written.
   */
  private final ScheduledExecutorService outboxWrites = Executors.newSingleThreadScheduledExecutor(
      r -> new Thread(r, "webhook-outbox"));
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
      r -> new Thread(r, "webhook-retries"));
  private final int window;
  private final Duration poll;
  /**
   * The deliveries in memory, from the moment they are taken in until their outcome is in the
   * outbox: the window, and what the poll skips. Guarded by itself for the check against the window.
   */
  private final Set<WebhookOutbox.Key> held = new HashSet<>();
  /** Guarded by itself. */
  private final Map<Long, Lane> lanes = new HashMap<>();
  private final Queue<WebhookOutbox.Key> answered = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean removalQueued = new AtomicBoolean();

  /**
   * {@code backoff}: the waits between attempts; {@code window}: deliveries held in memory at
   * most; {@code poll}: how often the outbox is read for the others ({@link #BACKOFF},
   * {@link #WINDOW} and {@link #POLL} but in tests).
   */
  WebhookDeliveries(WebhookOutbox outbox, WebhookUrls urls, Clock clock, List<Duration> backoff, int window,
      Duration poll) {
    this.outbox = requireNonNull(outbox, "outbox");
    this.urls = requireNonNull(urls, "urls");
    this.clock = requireNonNull(clock, "clock");
    this.backoff = List.copyOf(backoff);
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, not " + window);
    }
    this.window = window;
    this.poll = requireNonNull(poll, "poll");
  }

  /** Starts polling the outbox: at once (what a previous run left), then every {@code poll}. */
  void resume() {
    outboxWrites.scheduleWithFixedDelay(this::takeDue, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The poll: the outbox's due rows not held in memory, as many as the window has room for. The
   * first {@code window} due rows hold at least that many such rows when there are any, since at
   * most the held ones are among them.
   */
  private void takeDue() {
    if (room() == 0) {
      return;
    }
    try {
      int taken = 0;
      for (WebhookOutbox.Delivery d : outbox.pending(clock.instant(), window)) {
        Attempt a = new Attempt(d, true);
        if (hold(a.key())) {
          taken++;
          submit(a);
        }
      }
      if (taken > 0) {
        log.info("{} webhook deliveries taken from the outbox", taken);
      }
    } catch (RuntimeException e) {
      log.warn("webhook outbox not read (tried again in {}): {}", poll, e.toString());
    }
  }

  private int room() {
    synchronized (held) {
      return window - held.size();
    }
  }

  /** Takes a delivery into memory: false when the window is full or it is already there. */
  private boolean hold(WebhookOutbox.Key key) {
    synchronized (held) {
      return held.size() < window && held.add(key);
    }
  }

  private void letGo(Collection<WebhookOutbox.Key> keys) {
    synchronized (held) {
      held.removeAll(keys);
    }
  }

  /**
   * Writes new deliveries to the outbox (one statement per 500) and sends those the window has
   * room for; the poll takes the others as it empties. Blocks on the database; called on the
   * webhook thread, never a chat thread. When the outbox cannot be written, those in the window
   * are sent from memory only and the rest are lost, both counted in the log.
   */
  void deliver(List<WebhookOutbox.Delivery> fresh) {
    List<Attempt> now = new ArrayList<>(fresh.size());
    for (WebhookOutbox.Delivery d : fresh) {
      Attempt a = new Attempt(d, true);
      // Held before the row is written, so a poll meanwhile skips it.
      if (hold(a.key())) {
        now.add(a);
      }
    }
    if (keep(fresh)) {
      now.forEach(this::submit);
      return;
    }
    log.warn("{} webhook deliveries not in the outbox: {} sent from memory only (lost on a restart), {} lost"
        + " (past the window of {})", fresh.size(), now.size(), fresh.size() - now.size(), window);
    for (Attempt a : now) {
      submit(new Attempt(a.delivery(), false));
    }
  }

  /** Writes deliveries to the outbox without sending them now (at a stop: the next start sends them). */
  boolean keep(List<WebhookOutbox.Delivery> deliveries) {
    if (deliveries.isEmpty()) {
      return true;
    }
    try {
      outbox.add(deliveries, clock.instant());
      return true;
    } catch (RuntimeException e) {
      log.warn("{} webhook deliveries not written to the outbox: {}", deliveries.size(), e.toString());
      return false;
    }
  }

  private void submit(Attempt a) {
    synchronized (lanes) {
      Lane lane = lanes.computeIfAbsent(a.webhookId(), id -> new Lane());
      if (lane.inFlight >= MAX_IN_FLIGHT) {
        lane.waiting.add(a);
        return;
      }
      lane.inFlight++;
    }
    start(a);
  }

  /** A request of the webhook ended: the next waiting one takes its place. */
  private void release(long webhookId) {
    Attempt next;
    synchronized (lanes) {
      Lane lane = lanes.get(webhookId);
      next = lane.waiting.poll();
      if (next == null && --lane.inFlight == 0) {
        lanes.remove(webhookId);
      }
    }
    if (next != null) {
      start(next);
    }
  }

  private void start(Attempt a) {
    try {
      sending.execute(() -> send(a));
    } catch (RejectedExecutionException stopped) {
      log.debug("webhook deliveries stopped; {} stays in the outbox", a.key());
    }
  }

  private void send(Attempt a) {
    WebhookOutbox.Delivery d = a.delivery();
    Webhook hook = d.webhook();
    HttpRequest request;
    try {
      URI uri = URI.create(hook.url());
      Optional<String> forbidden = urls.forbiddenNow(uri);
      if (forbidden.isPresent()) {
        release(a.webhookId());
        giveUp(a, d.attempts(), "refused: " + forbidden.get());
        return;
      }
      long timestamp = clock.instant().getEpochSecond();
      request = HttpRequest.newBuilder(uri)
          .timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json; charset=utf-8")
          .header("User-Agent", "Sangdam-Webhooks")
          .header("X-Sangdam-Event", d.event())
          .header("X-Sangdam-Delivery", d.deliveryId())
          .header("X-Sangdam-Signature", "t=" + timestamp + ",v1=" + sign(hook.secret(), timestamp, d.body()))
          .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()))
          .build();
    } catch (RuntimeException e) {
      release(a.webhookId());
      giveUp(a, d.attempts(), "cannot be sent: " + e);
      return;
    }
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, e) -> {
      release(a.webhookId());
      if (e == null && response.statusCode() / 100 == 2) {
        if (a.kept()) {
          removeAnswered(a.key());
        } else {
          letGo(List.of(a.key()));
        }
      } else {
        failed(a, e != null ? e.toString() : "status " + response.statusCode());
      }
    });
  }

  private void failed(Attempt a, String why) {
    WebhookOutbox.Delivery d = a.delivery();
    int made = d.attempts() + 1;
    if (made > backoff.size()) {
      giveUp(a, made, why);
      return;
    }
    Duration delay = backoff.get(made - 1);
    WebhookOutbox.Delivery again = new WebhookOutbox.Delivery(d.deliveryId(), d.webhook(), d.event(), d.body(), made,
        clock.instant().plus(delay));
    log.debug("webhook {}: {} {} failed ({}), again in {}", d.webhook().id(), d.event(), d.deliveryId(), why, delay);
    if (a.kept()) {
      write(() -> outbox.failed(a.key(), made, again.nextAttemptAt(), why), List.of());
    }
    try {
      retries.schedule(() -> submit(new Attempt(again, a.kept())), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      log.debug("webhook deliveries stopped; {} stays in the outbox", a.key());
    }
  }

  private void giveUp(Attempt a, int attempts, String why) {
    WebhookOutbox.Delivery d = a.delivery();
    log.warn("webhook {} gave up on {} {} after {} attempts: {}", d.webhook().id(), d.event(), d.deliveryId(),
        attempts, why);
    if (a.kept()) {
      write(() -> outbox.gaveUp(a.key(), attempts, why), List.of(a.key()));
    } else {
      letGo(List.of(a.key()));
    }
  }

  /** Queues the removal of an answered delivery; removals queued meanwhile go in the same statement. */
  private void removeAnswered(WebhookOutbox.Key key) {
    answered.add(key);
    if (removalQueued.compareAndSet(false, true)) {
      try {
        outboxWrites.execute(() -> {
          removalQueued.set(false);
          List<WebhookOutbox.Key> keys = new ArrayList<>();
          for (WebhookOutbox.Key k; (k = answered.poll()) != null; ) {
            keys.add(k);
          }
          if (!keys.isEmpty()) {
            change(() -> outbox.delivered(keys), keys);
          }
        });
      } catch (RejectedExecutionException stopped) {
        log.debug("webhook outbox closed; answered deliveries are not removed");
      }
    }
  }

  /** Queues an outcome's write; {@code done}: the deliveries that leave memory once it is written. */
  private void write(Runnable change, List<WebhookOutbox.Key> done) {
    try {
      outboxWrites.execute(() -> change(change, done));
    } catch (RejectedExecutionException stopped) {
      log.debug("webhook outbox closed; a delivery's outcome is not recorded");
    }
  }

  private void change(Runnable change, List<WebhookOutbox.Key> done) {
    try {
      change.run();
    } catch (RuntimeException e) {
      // The row stays as it was: a later poll sends it again (receivers dedupe).
      log.warn("webhook outbox not updated: {}", e.toString());
    } finally {
      letGo(done);
    }
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

  /**
   * Stops sending. Deliveries still retrying stay in the outbox for the next start; the outcomes
   * already known are written first (for up to 5 s).
   */
  @Override
  public void close() {
    retries.shutdownNow();
    sending.shutdownNow();
    outboxWrites.shutdown();
    try {
      outboxWrites.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
