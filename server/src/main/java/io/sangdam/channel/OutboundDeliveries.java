package io.sangdam.channel;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sangdam.channel.ChannelOutbox.ChannelRef;
import io.sangdam.channel.ChannelOutbox.Pending;
import io.sangdam.chat.ChatStore;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationEvents;
import io.sangdam.chat.SenderKind;
import io.sangdam.routing.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what channel conversations owe their channels ({@link ChannelOutbox}), through the
 * {@link ChannelDelivery} of each channel's kind: per conversation in {@code seq} order, one attempt in
 * flight at a time, the next item only once the one before is delivered or given up. A failed attempt is
 * tried again after 1 s, doubling up to {@link #MAX_BACKOFF} (or after what the partner asked, if longer),
 * until the item is {@code retryPeriod} older than its commit; then, or when the partner refuses it for
 * good, it is given up and the staff of its conversation are told ({@link ConversationEvent.DeliveryFailed},
 * on every node) and the next item goes.
 *
 * <p>A conversation is delivered only under this node's claim on it, so with many nodes it is in flight on
 * one of them; the claim is renewed before each attempt (which is cut off after {@link #ATTEMPT}, well within it) and after each
 * outcome. The outbox is read for conversations owing something at once when this node commits an agent's
 * or a system message or an end of a channel conversation, and every {@link #POLL} (what other nodes
 * committed, what a dead node or this node's previous run left, retries that came due). A conversation
 * let go owing nothing is parked, so the poll reads only those due: this node's commits wake theirs (each
 * node its own), and every {@link #SWEEP} the outbox is swept for a parked conversation whose wake-up was
 * lost (its node died or stopped between the commit and the wake-up: delivered within a sweep then, or at
 * once when another node takes up the dead node's centers, {@link #centerTakenUp}). An item in flight
 * when the server stops, or whose outcome could not be written, is sent again: a receiver dedupes by
 * conversation and seq (and type).
 *
 * <p>The work with the outbox runs on {@value #THREADS} threads of its own ({@code channel-outbox}), never a
 * hot one: each conversation's steps (read the next item, send it, write the outcome) follow one another, so
 * the threads work on different conversations at once; the set of conversations held in memory is shared.
 */
public final class OutboundDeliveries implements ConversationEvents.Subscriber, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboundDeliveries.class);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  static final Duration POLL = Duration.ofSeconds(1);
  /**
   * How long one attempt may take in all, whatever its partner calls (a Kakao end asks its rating question,
   * then ends the session: two calls of up to 15 s each with their connects; a partner may also begin an
   * answer and never finish it, which no request timeout cuts): then it is cut off, tried again like a failed
   * one, and its delivery starts no further call. A claim lasts more than this ({@link #MIN_CLAIM}).
   */
  public static final Duration ATTEMPT = Duration.ofSeconds(15);
  /**
   * The shortest claim: an attempt, and as long again for its outcome to be written on a loaded node (a
   * claim that ran out under an attempt would let another node start the next one meanwhile).
   */
  public static final Duration MIN_CLAIM = ATTEMPT.multipliedBy(2);
  /** How often the outbox is swept for what lost wake-ups left parked: each sweep reads every parked conversation. */
  static final Duration SWEEP = Duration.ofMinutes(1);
  static final Duration DEPTH_EVERY = Duration.ofSeconds(5);
  /** Conversations held in memory at most (attempts in flight or waiting for their retry). */
  static final int WINDOW = 2_000;
  /** The outbox's database work waits on round trips, not the CPU: a few threads keep several under way. */
  static final int THREADS = 4;

  private final ChannelOutbox outbox;
  private final ChannelStore channels;
  private final Map<ChannelKind, ChannelDelivery> deliveries;
  private final ChannelRatings ratings;
  private final ChatStore chat;
  private final ConversationEvents events;
  private final LongFunction<String> tenantCodes;
  private final MeterRegistry meters;
  private final Duration retryPeriod;
  /** How long a claim lasts from its last renewal: more than an attempt takes, with room for slow threads. */
  private final Duration claim;
  private final Clock clock;
  private final Timers timers;
  private final ScheduledThreadPoolExecutor threads = new ScheduledThreadPoolExecutor(THREADS,
      r -> new Thread(r, "channel-outbox"));
  /** The conversations this node is delivering now (an attempt in flight or a retry scheduled). */
  private final Set<Long> held = ConcurrentHashMap.newKeySet();
  /** Conversations a poll found claimed by this node while they were held (see {@link #takeIfLetGo}). */
  private final Set<Long> claimedMeanwhile = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean pollQueued = new AtomicBoolean();
  private final AtomicBoolean sweepQueued = new AtomicBoolean();
  /** Conversations this node committed something for since the last poll, which wakes them. */
  private final Set<Long> woken = ConcurrentHashMap.newKeySet();
  private final Map<ChannelRef, AtomicLong> depths = new ConcurrentHashMap<>();
  private volatile boolean stopping;

  /**
   * {@code deliveries}: the delivery of each kind of channel (a kind without one waits, retried, until the
   * retry period ends); {@code ratings}: whether a conversation's end asks the customer to rate it;
   * {@code tenantCodes}: a tenant's code by id, for the meters' tags; {@code claim}: how long a claim lasts
   * ({@code channels.outboundClaimSeconds}); {@code clock} and {@code timers}: the time of the retries (when
   * due, and their wait), which tests control.
   */
  public OutboundDeliveries(ChannelOutbox outbox, ChannelStore channels, Map<ChannelKind, ChannelDelivery> deliveries,
      ChannelRatings ratings, ChatStore chat, ConversationEvents events, LongFunction<String> tenantCodes,
      MeterRegistry meters, Duration retryPeriod, Duration claim, Clock clock, Timers timers) {
    this.outbox = requireNonNull(outbox, "outbox");
    this.channels = requireNonNull(channels, "channels");
    this.deliveries = new EnumMap<>(ChannelKind.class);
    this.deliveries.putAll(deliveries);
    this.ratings = requireNonNull(ratings, "ratings");
    this.chat = requireNonNull(chat, "chat");
    this.events = requireNonNull(events, "events");
    this.tenantCodes = requireNonNull(tenantCodes, "tenantCodes");
    this.meters = requireNonNull(meters, "meters");
    this.retryPeriod = requireNonNull(retryPeriod, "retryPeriod");
    this.claim = requireNonNull(claim, "claim");
    if (claim.compareTo(MIN_CLAIM) < 0) {
      throw new IllegalArgumentException("claim must be at least " + MIN_CLAIM + ", got " + claim);
    }
    this.clock = requireNonNull(clock, "clock");
    this.timers = requireNonNull(timers, "timers");
    threads.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Starts reading the outbox: at once (what a previous run left), then every {@link #POLL}, and sweeping it at
   * once and every {@link #SWEEP} (on the server's timers, which tests control).
   */
  public void start() {
    run(this::sweepEvery);
    threads.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    threads.scheduleWithFixedDelay(this::measureDepth, 0, DEPTH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** This node's commits: an agent's or system message or an end of a channel conversation is owed now. */
  @Override
  public void on(ConversationEvent event) {
    boolean owed = event instanceof ConversationEvent.MessageStored e && !e.message().repeated()
        && e.message().senderKind() != SenderKind.CUSTOMER && !e.conversation().channel().equals(Channel.WEB)
        || event instanceof ConversationEvent.Closed c && !c.conversation().channel().equals(Channel.WEB);
    if (owed) {
      woken.add(event.conversationId());
      if (pollQueued.compareAndSet(false, true)) {
        run(this::poll);
      }
    }
  }

  /**
   * This node took up a center (with many nodes: its owner died or stopped). That owner may have committed an
   * agent's message or an end just before, and died or stopped before its wake-up: the outbox is swept now
   * rather than within {@link #SWEEP}. Take-ups that come together (a dead node's centers) share one sweep.
   */
  public void centerTakenUp(long centerId) {
    if (sweepQueued.compareAndSet(false, true)) {
      run(() -> {
        sweepQueued.set(false);
        sweep();
      });
    }
  }

  private void sweepEvery() {
    if (stopping) {
      return;
    }
    sweep();
    try {
      timers.schedule(SWEEP, () -> run(this::sweepEvery));
    } catch (RejectedExecutionException stopped) {
      log.debug("channel outbox stopped; no more sweeps");
    }
  }

  private void sweep() {
    try {
      outbox.sweep(clock.instant());
    } catch (RuntimeException e) {
      log.warn("channel outbox not swept (again in {}): {}", SWEEP, e.toString());
    }
  }

  private void poll() {
    pollQueued.set(false);
    if (stopping) {
      return;
    }
    try {
      wake();
      for (long conversation : outbox.claimDue(clock.instant(), WINDOW - held.size(), claim)) {
        if (held.size() >= WINDOW) {
          break;
        }
        if (held.add(conversation)) {
          advance(conversation);
        } else {
          // Held, maybe just letting go after finding nothing owed: taken again then, not at the next poll.
          claimedMeanwhile.add(conversation);
          takeIfLetGo(conversation);
        }
      }
    } catch (RuntimeException e) {
      log.warn("channel outbox not read (tried again in {}): {}", POLL, e.toString());
    }
  }

  /** Makes the conversations this node committed something for due, if parked: this poll takes them. */
  private void wake() {
    if (woken.isEmpty()) {
      return;
    }
    // Taken out before the wake-up: a commit meanwhile puts its conversation back, for the poll it queues.
    List<Long> now = new ArrayList<>();
    for (Iterator<Long> i = woken.iterator(); i.hasNext(); i.remove()) {
      now.add(i.next());
    }
    try {
      outbox.wake(now, clock.instant());
    } catch (RuntimeException e) {
      // Kept for the next poll (the sweep, if this node stops first).
      woken.addAll(now);
      log.warn("channel outbox: conversations {} not woken (again at the next poll): {}", now, e.toString());
    }
  }

  /** Sends the conversation's next item, or lets the conversation go when it owes nothing. */
  private void advance(long conversation) {
    if (stopping) {
      return;
    }
    try {
      proceed(conversation, outbox.next(conversation, claim));
    } catch (RuntimeException e) {
      // Still claimed by this node: a later poll takes the conversation again.
      letGo(conversation);
      log.warn("channel outbox: conversation {} not advanced: {}", conversation, e.toString());
    }
  }

  /** {@code next}: the conversation's next item; empty when it owes nothing now or is no longer this node's. */
  private void proceed(long conversation, Optional<Pending> next) {
    if (next.isPresent()) {
      attempt(next.get());
    } else if (outbox.releaseIfDone(conversation)) {
      letGo(conversation);
    } else {
      run(() -> advance(conversation)); // a message came meanwhile
    }
  }

  /** This node is done with the conversation for now (delivered all, waits for nothing, or lost its claim). */
  private void letGo(long conversation) {
    held.remove(conversation);
    takeIfLetGo(conversation);
  }

  /** A conversation a poll claimed again while it was held here: delivered now that it is not held. */
  private void takeIfLetGo(long conversation) {
    if (!held.contains(conversation) && claimedMeanwhile.remove(conversation) && held.add(conversation)) {
      advance(conversation);
    }
  }

  private void attempt(Pending owed) {
    Optional<Channel> channel = channels.find(owed.tenantId(), owed.channelCode());
    if (channel.isEmpty()) {
      giveUp(owed, null, "the channel " + owed.channelCode() + " is gone");
      return;
    }
    if (owed.item().type() == OutboundItem.Type.CLOSED && channel.get().kind().oneLinePerCustomer()
        && openedSince(owed.item().conversationId())) {
      // The customer wrote again while this end was still owed (tried again, or waiting its turn), and that
      // opened a conversation on the same line. KakaoTalk keeps one 상담 session per user_key and sender_key, and
      // its end request names no session: a late /v1/chat/end would end the new conversation's session, whose
      // agent could then no longer write. Nor is the rating question asked: its answer would go into the new
      // conversation as a message. The new conversation's own end ends the session. (An attempt already in
      // flight when the customer writes is not called back: that window is one attempt's.)
      log.debug("channel {}: conversation {} ended after its customer opened another: nothing sent for its end",
          owed.channelCode(), owed.item().conversationId());
      done(owed, true);
      return;
    }
    // An end asks for a rating as the channel is set now (the question goes with it, before the end).
    Pending p = new Pending(owed.tenantId(), owed.channelCode(), ratings.asking(channel.get(), owed.item()));
    OutboundItem item = p.item();
    if (!clock.instant().isBefore(item.at().plus(retryPeriod))) {
      giveUp(p, channel.get(), "not delivered within " + retryPeriod);
      return;
    }
    ChannelDelivery delivery = deliveries.get(channel.get().kind());
    if (delivery == null) {
      retry(p, channel.get(), DeliveryOutcome.retry("this server cannot deliver to " + channel.get().kind()));
      return;
    }
    // The question may reach the customer while the end itself is tried again (Kakao's session end failing
    // after it went): their answer is awaited from this attempt on, not only once the end is done with.
    if (item.survey().isPresent() && !outbox.asking(item.conversationId(), clock.instant())) {
      letGo(item.conversationId());
      return;
    }
    cutOffAfterAttempt(delivery.deliver(channel.get(), item)).whenComplete((outcome, e) -> run(() -> {
      DeliveryOutcome o = e != null ? DeliveryOutcome.retry(e.toString()) : outcome;
      try {
        switch (o.result()) {
          case DELIVERED -> delivered(p, channel.get());
          case RETRY -> retry(p, channel.get(), o);
          case FAILED -> giveUp(p, channel.get(), o.detail());
        }
      } catch (RuntimeException failure) {
        letGo(item.conversationId());
        log.warn("channel outbox: the outcome of conversation {} seq {} not written (sent again later): {}",
            item.conversationId(), item.seq(), failure.toString());
      }
    }));
  }

  /** Whether the customer of this ended conversation has another open on its channel (a newer one). */
  private boolean openedSince(long conversationId) {
    return chat.conversation(conversationId).flatMap(c -> channels.openConversation(c.customerId()))
        .filter(open -> open != conversationId).isPresent();
  }

  /**
   * The attempt, completed as a retry if it has no outcome within {@link #ATTEMPT}: a delivery's later steps
   * (the next call of a chain) do not start once its future is complete, and a call in flight then ends with
   * its own timeout, its outcome unheard (a partner dedupes a repeat).
   */
  private CompletableFuture<DeliveryOutcome> cutOffAfterAttempt(CompletableFuture<DeliveryOutcome> attempt) {
    try {
      Timers.Cancellable cut = timers.schedule(ATTEMPT, () -> attempt.complete(DeliveryOutcome.retry(
          "no outcome within " + ATTEMPT.toSeconds() + " s: the attempt was cut off")));
      attempt.whenComplete((o, e) -> cut.cancel());
    } catch (RejectedExecutionException stopped) {
      log.debug("channel outbox stopped; the attempt in flight is not cut off");
    }
    return attempt;
  }

  private void delivered(Pending p, Channel channel) {
    OutboundItem item = p.item();
    meters.timer("sangdam.channel.outbound.latency", tags(channel))
        .record(Duration.between(item.at(), clock.instant()));
    counter(channel, "delivered").increment();
    done(p, true);
  }

  private void retry(Pending p, Channel channel, DeliveryOutcome outcome) {
    OutboundItem item = p.item();
    int attempts = item.attempt();
    Duration delay = backoff(attempts);
    if (outcome.retryAfter().isPresent() && outcome.retryAfter().get().compareTo(delay) > 0) {
      delay = outcome.retryAfter().get();
    }
    Instant next = clock.instant().plus(delay);
    if (next.isAfter(item.at().plus(retryPeriod))) {
      giveUp(p, channel, "not delivered within " + retryPeriod + " (last: " + outcome.detail() + ")");
      return;
    }
    counter(channel, "retried").increment();
    log.debug("channel {}: conversation {} seq {} failed ({}), again in {}", channel.code(), item.conversationId(),
        item.seq(), outcome.detail(), delay);
    // The claim lasts past the next attempt, which this node makes: no other node takes the conversation meanwhile.
    if (!outbox.retrying(item.conversationId(), attempts, next, outcome.detail(), delay.plus(claim))) {
      letGo(item.conversationId());
      return;
    }
    try {
      timers.schedule(delay, () -> run(() -> advance(item.conversationId())));
    } catch (RejectedExecutionException stopped) {
      log.debug("channel outbox stopped; conversation {} stays in the outbox", item.conversationId());
    }
  }

  /** 1 s, doubled after each failed attempt, at most {@link #MAX_BACKOFF}. */
  static Duration backoff(int attempts) {
    int doublings = Math.min(Math.max(attempts - 1, 0), 20);
    Duration d = FIRST_BACKOFF.multipliedBy(1L << doublings);
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private void giveUp(Pending p, Channel channel, String reason) {
    OutboundItem item = p.item();
    String what = item.type() == OutboundItem.Type.CLOSED ? "closed" : "message";
    log.warn("channel {}: gave up on conversation {} {} seq {} at attempt {}: {}", p.channelCode(),
        item.conversationId(), what, item.seq(), item.attempt(), reason);
    if (channel != null) {
      counter(channel, "failed").increment();
    }
    chat.conversation(item.conversationId()).ifPresent(c -> events.publish(
        new ConversationEvent.DeliveryFailed(c, item.seq(), what, reason)));
    done(p, false);
  }

  /**
   * The item is delivered or given up: the conversation's next goes, or the conversation is let go. An end
   * whose rating question was delivered keeps when it was: the customer's answer is awaited from then.
   */
  private void done(Pending p, boolean delivered) {
    OutboundItem item = p.item();
    long conversation = item.conversationId();
    if (item.type() == OutboundItem.Type.CLOSED) {
      outbox.ended(conversation, item.survey().isPresent() && delivered ? Optional.of(clock.instant())
          : Optional.empty());
      letGo(conversation);
    } else if (!stopping) {
      proceed(conversation, outbox.passed(conversation, item.seq(), clock.instant(), claim));
    } else {
      // Recorded, and the claim let go: the next start (or another node) goes on from here.
      outbox.passed(conversation, item.seq(), clock.instant(), claim);
      letGo(conversation);
    }
  }

  private void measureDepth() {
    try {
      Map<ChannelRef, Long> now = new HashMap<>();
      outbox.depth().forEach(d -> now.put(d.channel(), d.items()));
      now.keySet().forEach(ref -> depths.computeIfAbsent(ref, r -> {
        AtomicLong depth = new AtomicLong();
        Gauge.builder("sangdam.channel.outbox.depth", depth, AtomicLong::get).tags(tags(r))
            .description("items channel conversations owe their channels, in the whole database").register(meters);
        return depth;
      }));
      depths.forEach((ref, depth) -> depth.set(now.getOrDefault(ref, 0L)));
    } catch (RuntimeException e) {
      log.debug("channel outbox depth not measured: {}", e.toString());
    }
  }

  private Counter counter(Channel channel, String result) {
    return Counter.builder("sangdam.channel.outbound").tags(tags(channel)).tag("result", result)
        .description("Items delivered to channels, retried, or given up (failed)").register(meters);
  }

  private Tags tags(Channel channel) {
    return tags(new ChannelRef(channel.tenantId(), channel.code(), channel.kind()));
  }

  private Tags tags(ChannelRef ref) {
    String tenant = tenantCodes.apply(ref.tenantId());
    return Tags.of("tenant", tenant == null ? Long.toString(ref.tenantId()) : tenant, "channel", ref.code(),
        "kind", ref.kind().name());
  }

  private void run(Runnable work) {
    try {
      threads.execute(work);
    } catch (RejectedExecutionException stopped) {
      log.debug("channel outbox stopped; what is owed stays in the outbox");
    }
  }

  /**
   * Stops delivering and lets go of this node's conversations, so another node (or this one, restarted)
   * takes them at once. Outcomes already known are written first (for up to 5 s); an attempt still in
   * flight is made again then.
   */
  @Override
  public void close() {
    stopping = true;
    threads.shutdown();
    try {
      if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
      outbox.releaseAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("channel outbox claims not released (they expire in {}): {}", claim, e.toString());
    }
  }
}
