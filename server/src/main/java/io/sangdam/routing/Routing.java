package io.sangdam.routing;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Queue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The routing engines of the centers this node owns, each created on first use. A center given up
 * ({@link #drop}) is refused until it is taken again ({@link #take}): its events are ignored and
 * its questions answered with {@link CenterNotOwned}. Every method returns at once.
 */
public final class Routing implements AgentAvailability {
  private final LongFunction<Optional<Queue>> queues;
  private final LongFunction<Duration> agentGrace;
  private final Executor pool;
  private final Clock clock;
  private final Timers timers;
  private final AgentStatusLog statusLog;
  private final Map<Long, RoutingEngine> engines = new ConcurrentHashMap<>();
  /** Centers given up to another node and not taken back. */
  private final Set<Long> dropped = ConcurrentHashMap.newKeySet();
  private volatile RoutingListener listener;
  private final LongAdder decisions = new LongAdder();

  /**
   * @param queues looks up a queue by id (from memory: called on engine threads)
   * @param agentGrace how long an agent of a center may be offline before their conversations wait again
   * @param statusLog where each engine records the changes of its agents' statuses (must not block)
   */
  public Routing(LongFunction<Optional<Queue>> queues, LongFunction<Duration> agentGrace, Executor pool, Clock clock,
      Timers timers, AgentStatusLog statusLog) {
    this.queues = requireNonNull(queues, "queues");
    this.agentGrace = requireNonNull(agentGrace, "agentGrace");
    this.pool = requireNonNull(pool, "pool");
    this.clock = requireNonNull(clock, "clock");
    this.timers = requireNonNull(timers, "timers");
    this.statusLog = requireNonNull(statusLog, "statusLog");
  }

  /** Chat carries out the decisions; it is built after routing, so it is handed in here, once, before any event. */
  public void start(RoutingListener listener) {
    if (this.listener != null) {
      throw new IllegalStateException("routing already started");
    }
    requireNonNull(listener, "listener");
    this.listener = new RoutingListener() {
      @Override
      public void assign(long centerId, long conversationId, long agentId, boolean picked) {
        decisions.increment();
        listener.assign(centerId, conversationId, agentId, picked);
      }

      @Override
      public void positions(List<Position> changed) {
        listener.positions(changed);
      }

      @Override
      public void overflow(long conversationId, long targetQueueId) {
        listener.overflow(conversationId, targetQueueId);
      }

      @Override
      public void agentGone(long centerId, long agentId, List<Long> conversationIds) {
        listener.agentGone(centerId, agentId, conversationIds);
      }

      @Override
      public void manualWaitingChanged(long centerId, long queueId, long conversationId, boolean added) {
        listener.manualWaitingChanged(centerId, queueId, conversationId, added);
      }
    };
  }

  /** Assignments decided since the start, pushed by routing or picked by agents: for the metrics. */
  public long decisions() {
    return decisions.sum();
  }

  /** The centers with an engine on this node (those used since the start). */
  public Set<Long> centers() {
    return Set.copyOf(engines.keySet());
  }

  /**
   * Gives up a center (another node owns it now): its engine stops, with its timers, and whatever
   * it still had queued or is asked from now on is refused, until {@link #take}. Completes once its
   * timers are cancelled.
   */
  public CompletableFuture<Void> drop(long centerId) {
    dropped.add(centerId);
    RoutingEngine engine = engines.remove(centerId);
    return engine == null ? CompletableFuture.completedFuture(null) : engine.stop();
  }

  /** Takes a center (back) after {@link #drop}: a fresh engine serves it, to be filled by its open conversations. */
  public void take(long centerId) {
    dropped.remove(centerId);
  }

  /** The center's engine; empty when the center was dropped. */
  private Optional<RoutingEngine> engine(long centerId) {
    RoutingListener l = listener;
    if (l == null) {
      throw new IllegalStateException("routing not started");
    }
    // Decided inside the map's update, so an engine is never created for a center being dropped.
    return Optional.ofNullable(engines.computeIfAbsent(centerId, id -> dropped.contains(id) ? null
        : new RoutingEngine(id, pool, queues, l, clock, timers, () -> agentGrace.apply(id), statusLog)));
  }

  /** A question to the center's engine; refused with {@link CenterNotOwned} when the center was dropped. */
  private <T> CompletableFuture<T> ask(long centerId, Function<RoutingEngine, CompletableFuture<T>> question) {
    return engine(centerId).map(question)
        .orElseGet(() -> CompletableFuture.failedFuture(new CenterNotOwned(centerId)));
  }

  /** A center's live state; a center no one has used since the start (or one given up) has none here. */
  public CompletableFuture<CenterLoad> load(long centerId) {
    RoutingEngine engine = engines.get(centerId);
    return engine == null ? CompletableFuture.completedFuture(CenterLoad.empty(centerId)) : engine.load();
  }

  public void offer(WaitingConversation w) {
    engine(w.centerId()).ifPresent(e -> e.offer(w));
  }

  public void withdraw(long centerId, long conversationId) {
    engine(centerId).ifPresent(e -> e.withdraw(conversationId));
  }

  /**
   * A center taken up (at start, or adopted from another node): an open conversation already assigned counts toward
   * its agent's load, and starts their grace period until the agent is known to be at work.
   */
  public void restoreLoad(long centerId, long agentId, long queueId, long conversationId, Instant assignedAt) {
    engine(centerId).ifPresent(e -> e.restoreLoad(agentId, queueId, conversationId, assignedAt));
  }

  /** The conversation ended with its agent: their place is free, and its handle time counts toward estimates. */
  public void ended(long centerId, long agentId, long conversationId) {
    engine(centerId).ifPresent(e -> e.released(agentId, conversationId, true));
  }

  /** The agent no longer carries this conversation, which goes on elsewhere (transfer, requeue, a failed assignment). */
  public void released(long centerId, long agentId, long conversationId) {
    engine(centerId).ifPresent(e -> e.released(agentId, conversationId, false));
  }

  /** In line once posted to the engine's mailbox, which takes whatever is asked of the center after it. */
  @Override
  public CompletableFuture<Void> agentAvailable(AgentProfile agent) {
    engine(agent.centerId()).ifPresent(e -> e.agentAvailable(agent));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> agentUnavailable(long centerId, long agentId, boolean connected, String awayReason) {
    engine(centerId).ifPresent(e -> e.agentUnavailable(agentId, connected, awayReason));
    return CompletableFuture.completedFuture(null);
  }

  public CompletableFuture<PickResult> pick(AgentProfile agent, long conversationId) {
    return ask(agent.centerId(), e -> e.pick(agent, conversationId));
  }

  /** Holds a place for a conversation handed straight to an available agent with room. */
  public CompletableFuture<PickResult> reserve(long centerId, long agentId, long queueId, long conversationId) {
    return ask(centerId, e -> e.reserve(agentId, queueId, conversationId));
  }

  /** A supervisor took the conversation over: it counts toward their load, whatever their capacity. */
  public void adopt(long centerId, long agentId, long queueId, long conversationId) {
    engine(centerId).ifPresent(e -> e.restoreLoad(agentId, queueId, conversationId, clock.instant()));
  }

  public CompletableFuture<List<WaitingConversation>> waiting(long centerId, Set<Long> queueIds) {
    return ask(centerId, e -> e.waiting(queueIds));
  }
}
