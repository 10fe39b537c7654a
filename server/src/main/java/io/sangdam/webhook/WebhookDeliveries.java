package io.sangdam.webhook;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *
 * <p>Several nodes share the outbox: a delivery is sent only under this node's claim on its row
 * ({@link WebhookOutbox}), so it is in flight on one node at a time. New deliveries are written
 * claimed and sent at once from memory; the poll claims due rows no live claim holds (a dead node's,
 * once expired; those nobody took yet). A failed attempt keeps the claim past its retry, which this
 * node makes from memory. An attempt is bounded ({@link #ATTEMPT}) and starts only with at least
 * {@link #ATTEMPT} and {@link #MARGIN} left of the claim, renewing it when less is left (a delivery
 * waited its turn behind a slow receiver) and dropping the delivery when the claim is gone.
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
  /**
   * The longest one attempt takes, its body included: connecting (5 s) and the answer's head (10 s)
   * have timeouts of their own, and the whole is cut off (the exchange cancelled) at this.
   */
  static final Duration ATTEMPT = Duration.ofSeconds(15);
  /**
   * Claim time an attempt needs left, past {@link #ATTEMPT}, to start: room for the database
   * servers' clocks to differ (Galera: each node's NOW()) and for a thread that waits to run.
   */
  static final Duration MARGIN = Duration.ofSeconds(15);
  /**
   * How long a claim lasts: longer than an attempt with its margin, so a fresh claim covers an attempt
   * without renewal; and how long another node waits before it retries the deliveries of a node that died.
   */
  static final Duration CLAIM = Duration.ofSeconds(60);

  /**
   * A delivery on its way; {@code kept} when it is in the outbox (false only if writing it there
   * failed), and then {@code claimEnds} (on {@link System#nanoTime()}) is when this node's claim on it
   * ends at the earliest.
   */
  private record Attempt(WebhookOutbox.Delivery delivery, boolean kept, long claimEnds) {
    static Attempt unkept(WebhookOutbox.Delivery delivery) {
      return new Attempt(delivery, false, 0);
    }

    /** Kept, and claimed by this node for {@code claim} from {@code since}, a {@link System#nanoTime()} before the claim. */
    static Attempt claimed(WebhookOutbox.Delivery delivery, long since, Duration claim) {
      return new Attempt(delivery, true, since + claim.toNanos());
    }

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
   * The poll: claims as many due rows as the window has room for, and takes those this node holds
   * claimed and not in memory (just claimed, or left by its previous run under the same name, or by
   * an outcome that could not be written). At most the held ones are among the rows read back.
   */
  private void takeDue() {
    int inMemory;
    synchronized (held) {
      inMemory = held.size();
    }
    if (inMemory == window) {
      return;
    }
    try {
      int taken = 0;
      long since = System.nanoTime();
      for (WebhookOutbox.Claimed c : outbox.claimDue(clock.instant(), window - inMemory, inMemory, CLAIM)) {
        Attempt a = Attempt.claimed(c.delivery(), since, c.left());
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
   * room for, claimed by this node; the others are written unclaimed and the poll (of any node)
   * takes them. Blocks on the database; called on the webhook thread, never a chat thread. When
   * the outbox cannot be written, those in the window are sent from memory only and the rest are
   * lost, both counted in the log.
   */
  void deliver(List<WebhookOutbox.Delivery> fresh) {
    List<WebhookOutbox.Delivery> now = new ArrayList<>(fresh.size());
    List<WebhookOutbox.Delivery> later = new ArrayList<>();
    for (WebhookOutbox.Delivery d : fresh) {
      // Held before the row is written, so a poll meanwhile skips it.
      (hold(new WebhookOutbox.Key(d.deliveryId(), d.webhook().id())) ? now : later).add(d);
    }
    long since = System.nanoTime();
    boolean nowKept = insert(now, true);
    boolean laterKept = keep(later);
    if (!nowKept || !laterKept) {
      log.warn("{} webhook deliveries not in the outbox: {} sent from memory only (lost on a restart), {} lost"
          + " (past the window of {})", fresh.size(), nowKept ? 0 : now.size(), laterKept ? 0 : later.size(),
          window);
    }
    now.forEach(d -> submit(nowKept ? Attempt.claimed(d, since, CLAIM) : Attempt.unkept(d)));
  }

  /** Writes deliveries to the outbox, claimed by no node, without sending them now (at a stop: the next poll sends them). */
  boolean keep(List<WebhookOutbox.Delivery> deliveries) {
    return insert(deliveries, false);
  }

  private boolean insert(List<WebhookOutbox.Delivery> deliveries, boolean claimed) {
    if (deliveries.isEmpty()) {
      return true;
    }
    try {
      if (claimed) {
        outbox.addClaimed(deliveries, clock.instant(), CLAIM);
      } else {
        outbox.add(deliveries, clock.instant());
      }
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
          .header(WebhookSignature.HEADER, WebhookSignature.header(hook.secret(), timestamp, d.body()))
          .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()))
          .build();
    } catch (RuntimeException e) {
      release(a.webhookId());
      giveUp(a, d.attempts(), "cannot be sent: " + e);
      return;
    }
    // Last, just before the request leaves: the look-up above may have waited.
    Attempt claimed = stillClaimed(a);
    if (claimed == null) {
      release(a.webhookId());
      letGo(List.of(a.key()));
      return;
    }
    CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    exchange.copy().orTimeout(ATTEMPT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((response, e) -> {
      if (e != null) {
        // Cut off (a receiver trickling its answer) or failed: either way this exchange ends here.
        exchange.cancel(true);
      }
      release(claimed.webhookId());
      if (e == null && response.statusCode() / 100 == 2) {
        if (claimed.kept()) {
          removeAnswered(claimed.key());
        } else {
          letGo(List.of(claimed.key()));
        }
      } else {
        failed(claimed, e != null ? e.toString() : "status " + response.statusCode());
      }
    });
  }

  /**
   * The attempt, if this node's claim on its delivery lasts through it (renewed if too little of it
   * is left); null when the claim is gone (another node took the delivery after it expired, or
   * answered it) or cannot be renewed now: then the delivery is not sent from here.
   */
  private Attempt stillClaimed(Attempt a) {
    if (!a.kept() || a.claimEnds() - System.nanoTime() >= ATTEMPT.plus(MARGIN).toNanos()) {
      return a;
    }
    long since = System.nanoTime();
    try {
      if (outbox.renew(a.key(), CLAIM)) {
        return Attempt.claimed(a.delivery(), since, CLAIM);
      }
      log.info("webhook {}: {} {} is no longer this node's to send (its claim ran out)", a.webhookId(),
          a.delivery().event(), a.delivery().deliveryId());
    } catch (RuntimeException e) {
      log.warn("webhook {}: the claim on {} {} not renewed, not sent now: {}", a.webhookId(), a.delivery().event(),
          a.delivery().deliveryId(), e.toString());
    }
    return null;
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
    if (!a.kept()) {
      retry(Attempt.unkept(again), delay);
      return;
    }
    try {
      outboxWrites.execute(() -> {
        // The claim is extended past the retry, which this node makes from memory.
        long since = System.nanoTime();
        Duration claim = delay.plus(CLAIM);
        try {
          if (!outbox.failed(a.key(), made, again.nextAttemptAt(), why, claim)) {
            log.info("webhook {}: {} {} is no longer this node's to retry (its claim ran out)", d.webhook().id(),
                d.event(), d.deliveryId());
            letGo(List.of(a.key()));
            return;
          }
          retry(Attempt.claimed(again, since, claim), delay);
        } catch (RuntimeException e) {
          // The row stays as it was; the retry renews the claim first, or leaves the delivery to a later poll.
          log.warn("webhook outbox not updated: {}", e.toString());
          retry(new Attempt(again, true, a.claimEnds()), delay);
        }
      });
    } catch (RejectedExecutionException stopped) {
      log.debug("webhook outbox closed; {} stays in the outbox", a.key());
    }
  }

  private void retry(Attempt a, Duration delay) {
    try {
      retries.schedule(() -> submit(a), delay.toMillis(), TimeUnit.MILLISECONDS);
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
