package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import io.nats.client.JetStream;
import io.nats.client.NUID;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.threads.HotThreads;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores this node's conversation events in the stream for the other nodes, never holding up the
 * publisher: each conversation's events go one at a time, in publish order, the next once the
 * stream has acknowledged the one before, so a retry can never overtake. A failed publish is
 * retried with back-off under the same Nats-Msg-Id (one that did arrive is stored once) for up to
 * {@link #GIVE_UP}, within the stream's duplicate window; then it is dropped and counted
 * ({@code unpublished}): the other nodes' clients get it from the database at their next resume.
 *
 * <p>Every lane is touched on one thread only, {@code cluster-events}: it only hands messages to the
 * NATS client and reads acknowledgements, so one is plenty.
 */
final class OutboundEvents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboundEvents.class);
  /** An acknowledgement not back within this is a failed publish (and retried). */
  static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);
  /** How long an event is retried: no longer than the stream's duplicate window, so a retry is never stored twice. */
  static final Duration GIVE_UP = EventStream.DUPLICATE_WINDOW;
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final Duration LONGEST_RETRY = Duration.ofSeconds(2);
  /** Events waiting for the stream (NATS away for long under load) beyond which new ones are dropped: memory stays bounded. */
  static final int MOST_WAITING = 100_000;
  /** How long a clean stop waits for the events still on their way. */
  private static final Duration DRAIN = Duration.ofSeconds(2);

  private final JetStream jetStream;
  private final EventCodec codec;
  private final String node;
  private final BusMeters meters;
  private final ThrottledLog warnings;
  private final Ticker ticker;
  private final ScheduledThreadPoolExecutor thread;
  /** Each conversation's events not yet stored, the first one in flight; a lane exists only while it has some. */
  private final Map<Long, Queue<Entry>> lanes = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  /** Written on the thread only. */
  private volatile long lastStored;
  private int waiting;
  private volatile boolean closing;

  OutboundEvents(JetStream jetStream, EventCodec codec, String node, BusMeters meters, ThrottledLog warnings,
      Ticker ticker) {
    this.jetStream = requireNonNull(jetStream, "jetStream");
    this.codec = requireNonNull(codec, "codec");
    this.node = requireNonNull(node, "node");
    this.meters = requireNonNull(meters, "meters");
    this.warnings = requireNonNull(warnings, "warnings");
    this.ticker = requireNonNull(ticker, "ticker");
    this.thread = new ScheduledThreadPoolExecutor(1, HotThreads.named("cluster-events"));
    thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Hands {@code event} on to be stored in the stream; returns at once and never throws. */
  void publish(ConversationEvent event) {
    Outgoing outgoing;
    try {
      outgoing = new Outgoing(event.conversationId(), messageId(event), codec.write(node, event), ticker.read());
    } catch (RuntimeException e) {
      // A bug, not an outage: said once per interval, with the event's type, and counted.
      meters.dropped(BusMeters.UNPUBLISHED);
      warnings.warn("encode", "cannot write " + event.getClass().getSimpleName() + " for the other nodes: " + e);
      return;
    }
    run(() -> enqueue(outgoing));
  }

  /**
   * Completes, once every event of {@code conversationId} handed to {@link #publish} before this
   * call is stored (or given up), with a stream sequence at or after all of them.
   */
  CompletableFuture<Long> stored(long conversationId) {
    CompletableFuture<Long> stored = new CompletableFuture<>();
    if (!run(() -> {
      Queue<Entry> lane = lanes.get(conversationId);
      if (lane == null) {
        stored.complete(lastStored);
      } else {
        lane.add(new Marker(stored));
      }
    })) {
      stored.complete(lastStored);
    }
    return stored;
  }

  /** Conversations whose events wait for the stream. */
  int backlog() {
    return lanes.size();
  }

  /**
   * The same message published twice (by a retry, or by two owners of its center one after the
   * other) has the same id, and the stream keeps it once; other events are each unique.
   */
  private static String messageId(ConversationEvent event) {
    if (event instanceof ConversationEvent.MessageStored m) {
      return "message-" + m.conversationId() + "-" + m.message().seq();
    }
    return NUID.nextGlobal();
  }

  private void enqueue(Outgoing outgoing) {
    if (closing) {
      meters.dropped(BusMeters.UNPUBLISHED);
      return;
    }
    if (waiting >= MOST_WAITING) {
      meters.dropped(BusMeters.UNPUBLISHED);
      warnings.warn("full", MOST_WAITING + " events wait for the stream " + EventStream.NAME
          + " (NATS unreachable?): new ones are dropped; the other nodes' clients resume from the database");
      return;
    }
    waiting++;
    Queue<Entry> lane = lanes.computeIfAbsent(outgoing.conversationId, id -> new ArrayDeque<>());
    lane.add(outgoing);
    if (lane.size() == 1) {
      send(outgoing);
    }
  }

  private void send(Outgoing outgoing) {
    outgoing.attempts++;
    CompletableFuture<PublishAck> ack;
    try {
      ack = jetStream.publishAsync(EventStream.subject(outgoing.conversationId), outgoing.message,
          PublishOptions.builder().messageId(outgoing.id).expectedStream(EventStream.NAME).build());
    } catch (RuntimeException e) {
      // The connection is closed, or its reconnect buffer is full.
      failed(outgoing, e);
      return;
    }
    ack.orTimeout(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((stored, failure) -> run(() -> {
      if (failure == null) {
        acknowledged(outgoing, stored);
      } else {
        failed(outgoing, failure);
      }
    }));
  }

  private void acknowledged(Outgoing outgoing, PublishAck ack) {
    meters.sent();
    lastStored = Math.max(lastStored, ack.getSeqno());
    done(outgoing);
  }

  private void failed(Outgoing outgoing, Throwable failure) {
    meters.publishFailed();
    if (ticker.read() - outgoing.firstTry >= GIVE_UP.toNanos()) {
      meters.dropped(BusMeters.UNPUBLISHED);
      warnings.warn("given-up", "gave up storing an event of conversation " + outgoing.conversationId + " in "
          + EventStream.NAME + " after " + outgoing.attempts + " attempts (" + describe(failure)
          + "); the other nodes' clients get it at their next resume");
      done(outgoing);
      return;
    }
    warnings.warn("failed", "storing an event of conversation " + outgoing.conversationId + " in " + EventStream.NAME
        + " failed (" + describe(failure) + "); retrying");
    long delay = Math.min(LONGEST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(outgoing.attempts - 1, 10));
    try {
      thread.schedule(() -> send(outgoing), delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      // Stopping: the event stays unstored, as any left at close.
    }
  }

  /** The head of its lane is done: markers after it learn their sequence, and the next event goes. */
  private void done(Outgoing outgoing) {
    waiting--;
    Queue<Entry> lane = lanes.get(outgoing.conversationId);
    lane.poll();
    Entry next;
    while ((next = lane.peek()) instanceof Marker m) {
      lane.poll();
      m.stored.complete(lastStored);
    }
    if (next == null) {
      lanes.remove(outgoing.conversationId);
      if (closing && lanes.isEmpty()) {
        drained.complete(null);
      }
    } else {
      send((Outgoing) next);
    }
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return cause instanceof TimeoutException ? "no acknowledgement within " + PUBLISH_TIMEOUT.toSeconds() + " s"
        : cause.toString();
  }

  /** Runs {@code work} on the thread; false once it has stopped. */
  private boolean run(Runnable work) {
    try {
      thread.execute(work);
      return true;
    } catch (RejectedExecutionException stopped) {
      return false;
    }
  }

  /**
   * Gives the events on their way up to {@link #DRAIN} to be stored, then stops; whoever waits for a
   * sequence is let go with the last one stored.
   */
  @Override
  public void close() {
    if (thread.isShutdown()) {
      return;
    }
    run(() -> {
      closing = true;
      if (lanes.isEmpty()) {
        drained.complete(null);
      }
    });
    drained.completeOnTimeout(null, DRAIN.toMillis(), TimeUnit.MILLISECONDS).join();
    thread.shutdownNow();
    try {
      thread.awaitTermination(DRAIN.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = 0;
    for (Queue<Entry> lane : lanes.values()) {
      for (Entry e : lane) {
        if (e instanceof Marker m) {
          m.stored.complete(lastStored);
        } else {
          left++;
        }
      }
    }
    lanes.clear();
    if (left > 0) {
      log.warn("{} events of this node were not stored in {} at stop: the other nodes' clients get them at their next resume",
          left, EventStream.NAME);
    }
  }

  private interface Entry {}

  /** Someone waiting, in a lane, for the events before it to be stored. */
  private record Marker(CompletableFuture<Long> stored) implements Entry {}

  private static final class Outgoing implements Entry {
    final long conversationId;
    final String id;
    final byte[] message;
    final long firstTry;
    int attempts;

    Outgoing(long conversationId, String id, byte[] message, long firstTry) {
      this.conversationId = conversationId;
      this.id = id;
      this.message = message;
      this.firstTry = firstTry;
    }
  }
}
