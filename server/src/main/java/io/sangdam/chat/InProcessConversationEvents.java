package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus of one node. Each conversation with events to deliver has a lane: its waiting events,
 * drained on {@code pool} by one task at a time, so its events are delivered in publish order and
 * never two at once, while a subscriber slow on one conversation holds up only that one. A lane
 * exists only while it has events; an idle conversation costs nothing.
 */
public final class InProcessConversationEvents implements ConversationEvents, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InProcessConversationEvents.class);
  /** Events a lane delivers before it gives its thread to the other lanes. */
  private static final int TURN = 32;

  private final Executor pool;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  /** Each lane's queue is touched only inside this map's atomic operations on its conversation. */
  private final Map<Long, Lane> lanes = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  public InProcessConversationEvents(Executor pool) {
    this.pool = requireNonNull(pool, "pool");
  }

  @Override
  public void subscribe(Subscriber subscriber) {
    subscribers.add(requireNonNull(subscriber, "subscriber"));
  }

  @Override
  public CompletableFuture<Void> publish(ConversationEvent event) {
    requireNonNull(event, "event");
    if (stopped) {
      return CompletableFuture.completedFuture(null);
    }
    Pending pending = new Pending(event, new CompletableFuture<>());
    Lane[] started = new Lane[1];
    lanes.compute(event.conversationId(), (id, lane) -> {
      Lane l = lane;
      if (l == null) {
        l = new Lane(id);
        started[0] = l;
      }
      l.waiting.add(pending);
      return l;
    });
    if (started[0] != null) {
      schedule(started[0]);
    }
    return pending.delivered;
  }

  /** An event and who waits for its delivery. */
  private record Pending(ConversationEvent event, CompletableFuture<Void> delivered) {}

  /** Conversations whose events are waiting or being delivered: 0 once every event published has reached every subscriber. */
  public int backlog() {
    return lanes.size();
  }

  private void schedule(Lane lane) {
    try {
      pool.execute(lane);
    } catch (RejectedExecutionException refused) {
      if (lanes.remove(lane.conversationId, lane)) {
        letGo(lane);
      }
    }
  }

  /**
   * Stops delivering, once the pool has had its chance to finish: whoever still waits for a
   * delivery is let go, and a later publish completes at once, undelivered.
   */
  @Override
  public void close() {
    stopped = true;
    for (Long id : List.copyOf(lanes.keySet())) {
      Lane lane = lanes.remove(id);
      if (lane != null) {
        letGo(lane);
      }
    }
  }

  /**
   * The server is stopping: an answer held for a delivery that will never come helps nobody. Only
   * for a lane out of the map, whose queue nothing else touches any more.
   */
  private void letGo(Lane lane) {
    Pending left;
    while ((left = lane.waiting.poll()) != null) {
      left.delivered.complete(null);
    }
    log.debug("events of conversation {} not delivered: the server is stopping", lane.conversationId);
  }

  private void deliver(ConversationEvent event) {
    for (Subscriber s : subscribers) {
      try {
        s.on(event);
      } catch (RuntimeException | Error e) {
        // Caught whatever it is: a lane left behind would never run again, and its conversation would fall silent.
        log.error("a subscriber failed on {} of conversation {}", event.getClass().getSimpleName(), event.conversationId(), e);
      }
    }
  }

  private final class Lane implements Runnable {
    final long conversationId;
    final Queue<Pending> waiting = new ArrayDeque<>();

    Lane(long conversationId) {
      this.conversationId = conversationId;
    }

    @Override
    public void run() {
      for (int i = 0; i < TURN; i++) {
        Pending next = next();
        if (next == null) {
          return;
        }
        deliver(next.event);
        next.delivered.complete(null);
      }
      schedule(this);
    }

    /** The next event; none left takes the lane away, in the same step, so the next publish starts a new one. */
    private Pending next() {
      Pending[] next = new Pending[1];
      lanes.computeIfPresent(conversationId, (id, lane) -> {
        next[0] = lane.waiting.poll();
        return next[0] == null ? null : lane;
      });
      return next[0];
    }
  }
}
