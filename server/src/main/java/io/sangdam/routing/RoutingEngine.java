package io.sangdam.routing;

import io.sangdam.directory.Queue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The routing engine of one center, an actor: every public method posts to the center's serial
 * executor, and all state below is touched only there. So no chat goes to two agents and no agent
 * goes over capacity, without locks.
 *
 * <p>Each decision takes the best waiting conversation among the queues that have an agent with
 * room (priority, then earliest start) and gives it to that queue's best agent: the customer's
 * previous agent if the queue prefers them and they have room, else the first by the queue's
 * policy. MANUAL queues are never pushed; agents {@code pick} from them.
 */
final class RoutingEngine {

  private final long centerId;
  private final Executor mailbox;
  private final LongFunction<Optional<Queue>> queues;
  private final RoutingListener listener;
  private final Clock clock;
  private final Timers timers;
  private final Supplier<Duration> agentGrace;
  private final AgentStatusLog statusLog;

  private final Map<Long, QueueLine> lines = new HashMap<>();
  private final Map<Long, WaitingConversation> waitingById = new HashMap<>();
  private final Map<Long, Timers.Cancellable> overflowTimers = new HashMap<>();
  private final Map<Long, AgentSlot> agents = new HashMap<>();
  private final AwayHistory away = new AwayHistory();
  private final PositionReporter positions;
  private long decisions;
  /** Set by {@link #stop}: the center went to another node, and nothing more is decided here. */
  private volatile boolean stopped;

  RoutingEngine(long centerId, Executor pool, LongFunction<Optional<Queue>> queues, RoutingListener listener,
      Clock clock, Timers timers, Supplier<Duration> agentGrace, AgentStatusLog statusLog) {
    this.centerId = centerId;
    this.mailbox = new SerialExecutor(pool);
    this.queues = queues;
    this.listener = listener;
    this.clock = clock;
    this.timers = timers;
    this.agentGrace = agentGrace;
    this.statusLog = statusLog;
    this.positions = new PositionReporter(lines.values(), new WaitEstimates(lines, agents.values(), away, clock), listener,
        timers, this::act);
  }

  // --- events

  void offer(WaitingConversation w) {
    act(() -> {
      Optional<QueueLine> line = line(w.queueId());
      if (line.isEmpty() || waitingById.containsKey(w.conversationId())) {
        return;
      }
      waitingById.put(w.conversationId(), w);
      line.get().waiting.add(w);
      scheduleOverflow(w, line.get().queue);
      if (!line.get().pushes()) {
        listener.manualWaitingChanged(centerId, w.queueId(), w.conversationId(), true);
      }
      route();
      if (waitingById.containsKey(w.conversationId())) {
        positions.newlyWaiting(line.get(), w);
      }
      positions.changed();
    });
  }

  /** The conversation leaves the line unserved: the customer gave up, or it was moved elsewhere. */
  void withdraw(long conversationId) {
    act(() -> {
      WaitingConversation w = remove(conversationId);
      if (w != null) {
        lines.get(w.queueId()).history.leftUnserved(clock.instant());
        positions.changed();
      }
    });
  }

  void restoreLoad(long agentId, long queueId, long conversationId, Instant assignedAt) {
    act(() -> {
      AgentSlot agent = agent(agentId);
      update(agent, () -> agent.open.put(conversationId, new AgentSlot.Carried(queueId, assignedAt)));
      if (!agent.connected && agent.grace == null) {
        startGrace(agent);
      }
    });
  }

  /** The agent no longer carries the conversation; only one that {@code ended} with them counts as a handle time. */
  void released(long agentId, long conversationId, boolean ended) {
    act(() -> {
      AgentSlot agent = agents.get(agentId);
      if (agent == null || !agent.open.containsKey(conversationId)) {
        return;
      }
      update(agent, () -> {
        AgentSlot.Carried carried = agent.open.remove(conversationId);
        QueueLine line = lines.get(carried.queueId());
        if (ended && line != null) {
          line.history.handled(Duration.between(carried.assignedAt(), clock.instant()).toMillis() / 1000.0,
              clock.instant());
        }
      });
      route();
      positions.changed();
    });
  }

  void agentAvailable(AgentProfile profile) {
    act(() -> {
      AgentSlot agent = agent(profile.agentId());
      cancelGrace(agent);
      update(agent, () -> {
        if (!agent.available) {
          agent.idleSince = clock.instant();
        }
        agent.profile = profile;
        setStatus(agent, true, true, null);
      });
      profile.queueIds().forEach(this::line);
      update(agent, () -> { });
      route();
      positions.changed();
    });
  }

  /** AWAY ({@code connected}, with the reason's code or null) keeps the agent's conversations; OFFLINE starts the grace period. */
  void agentUnavailable(long agentId, boolean connected, String awayReason) {
    act(() -> {
      AgentSlot agent = agent(agentId);
      update(agent, () -> setStatus(agent, false, connected, connected ? awayReason : null));
      if (connected) {
        cancelGrace(agent);
      } else if (agent.grace == null && agent.load() > 0) {
        startGrace(agent);
      }
      positions.changed();
    });
  }

  /** Sets the agent's status here, and records a change of it (the time in each status and reason is counted from these). */
  private void setStatus(AgentSlot agent, boolean available, boolean connected, String awayReason) {
    boolean wasAway = agent.connected && !agent.available;
    String wasReason = agent.awayReason;
    Instant awaySince = agent.statusSince;
    if (agent.setStatus(available, connected, awayReason, clock.instant())) {
      if (wasAway && available) {
        away.returned(wasReason, Duration.between(awaySince, clock.instant()), clock.instant());
      }
      statusLog.changed(centerId, agent.id, agent.status(), agent.awayReason, agent.statusSince);
    }
  }

  /** The center's live state, taken on the engine's thread. */
  CompletableFuture<CenterLoad> load() {
    CompletableFuture<CenterLoad> result = new CompletableFuture<>();
    mailbox.execute(() -> {
      try {
        // A center given up holds nothing here any more.
        result.complete(stopped ? CenterLoad.empty(centerId) : snapshot());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private CenterLoad snapshot() {
    Map<Long, Integer> inProgress = new HashMap<>();
    List<CenterLoad.AgentLoad> agentLoads = new ArrayList<>();
    for (AgentSlot agent : agents.values()) {
      agent.open.values().forEach(c -> inProgress.merge(c.queueId(), 1, Integer::sum));
      if (agent.connected || agent.load() > 0) {
        agentLoads.add(new CenterLoad.AgentLoad(agent.id, agent.status(), agent.awayReason, agent.load(),
            agent.statusSince));
      }
    }
    List<CenterLoad.QueueLoad> queueLoads = new ArrayList<>();
    for (QueueLine line : lines.values()) {
      Instant oldest = line.waiting.stream().map(WaitingConversation::queuedAt).min(Instant::compareTo).orElse(null);
      queueLoads.add(new CenterLoad.QueueLoad(line.queue.id(), line.waiting.size(),
          inProgress.getOrDefault(line.queue.id(), 0), oldest));
    }
    return new CenterLoad(centerId, queueLoads, agentLoads);
  }


  /** Pick by an agent: the conversation must wait in one of the agent's queues, and the agent must have room. */
  CompletableFuture<PickResult> pick(AgentProfile profile, long conversationId) {
    return answer(result -> {
      WaitingConversation w = waitingById.get(conversationId);
      if (w == null) {
        result.complete(PickResult.NOT_WAITING);
        return;
      }
      if (!profile.queueIds().contains(w.queueId())) {
        result.complete(PickResult.NOT_YOURS);
        return;
      }
      AgentSlot agent = agent(profile.agentId());
      if (!agent.connected) {
        result.complete(PickResult.OFFLINE);
        return;
      }
      QueueLine line = lines.get(w.queueId());
      if (!agent.hasRoomIn(line.queue)) {
        result.complete(PickResult.FULL);
        return;
      }
      assign(w, agent, line, true);
      result.complete(PickResult.ASSIGNED);
      positions.changed();
    });
  }

  /** Reserves room with an available agent for a conversation handed over directly (a transfer). */
  CompletableFuture<PickResult> reserve(long agentId, long queueId, long conversationId) {
    return answer(result -> {
      AgentSlot agent = agents.get(agentId);
      Optional<QueueLine> line = line(queueId);
      if (agent == null || !agent.available || line.isEmpty()) {
        result.complete(PickResult.NOT_YOURS);
      } else if (!agent.hasRoomIn(line.get().queue)) {
        result.complete(PickResult.FULL);
      } else {
        update(agent, () -> {
          agent.open.put(conversationId, new AgentSlot.Carried(queueId, clock.instant()));
          agent.idleSince = clock.instant();
        });
        result.complete(PickResult.ASSIGNED);
      }
    });
  }

  /** The waiting conversations of the given queues, in routing order. */
  CompletableFuture<List<WaitingConversation>> waiting(java.util.Set<Long> queueIds) {
    return answer(result -> {
      List<WaitingConversation> out = new ArrayList<>();
      for (long q : queueIds) {
        QueueLine line = lines.get(q);
        if (line != null) {
          out.addAll(line.waiting);
        }
      }
      out.sort(WaitingConversation.LINE_ORDER);
      result.complete(out);
    });
  }

  /**
   * The center went to another node: from now on every task posted is skipped and every question
   * refused with {@link CenterNotOwned}, so no decision is made and no listener called for it any
   * more; its timers (overflows, grace periods, position reports) are cancelled on the engine's
   * thread. Completes once they are.
   */
  CompletableFuture<Void> stop() {
    stopped = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    mailbox.execute(() -> {
      overflowTimers.values().forEach(Timers.Cancellable::cancel);
      overflowTimers.clear();
      agents.values().forEach(RoutingEngine::cancelGrace);
      positions.stop();
      done.complete(null);
    });
    return done;
  }

  /** Posts {@code task} to the center's mailbox; it does nothing once the engine stopped. */
  private void act(Runnable task) {
    mailbox.execute(() -> {
      if (!stopped) {
        task.run();
      }
    });
  }

  /** Posts {@code task}, which completes the answer; once the engine stopped, the answer is a refusal. */
  private <T> CompletableFuture<T> answer(Consumer<CompletableFuture<T>> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    mailbox.execute(() -> {
      if (stopped) {
        result.completeExceptionally(new CenterNotOwned(centerId));
        return;
      }
      try {
        task.accept(result);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
        throw e;
      }
    });
    return result;
  }

  int waitingCount() {
    return waitingById.size();
  }

  int load(long agentId) {
    AgentSlot agent = agents.get(agentId);
    return agent == null ? 0 : agent.load();
  }

  long decisions() {
    return decisions;
  }

  // --- decisions

  /** Assigns while any queue has both a waiting conversation and an agent with room. */
  private void route() {
    while (true) {
      QueueLine best = null;
      for (QueueLine line : lines.values()) {
        if (line.pushes() && !line.waiting.isEmpty() && !line.ready.isEmpty()
            && (best == null
                || WaitingConversation.LINE_ORDER.compare(line.waiting.first(), best.waiting.first()) < 0)) {
          best = line;
        }
      }
      if (best == null) {
        return;
      }
      WaitingConversation w = best.waiting.first();
      AgentSlot previous = w.preferredAgentId() == null || !best.queue.preferPreviousAgent() ? null
          : agents.get(w.preferredAgentId());
      assign(w, previous != null && best.ready.contains(previous) ? previous : best.ready.first(), best, false);
    }
  }

  private void assign(WaitingConversation w, AgentSlot agent, QueueLine line, boolean picked) {
    remove(w.conversationId());
    update(agent, () -> {
      agent.open.put(w.conversationId(), new AgentSlot.Carried(w.queueId(), clock.instant()));
      agent.idleSince = clock.instant();
      line.tookTurn(agent);
    });
    line.history.served(clock.instant());
    decisions++;
    listener.assign(centerId, w.conversationId(), agent.id, picked);
  }

  private WaitingConversation remove(long conversationId) {
    WaitingConversation w = waitingById.remove(conversationId);
    if (w == null) {
      return null;
    }
    QueueLine line = lines.get(w.queueId());
    line.waiting.remove(w);
    positions.forget(conversationId);
    Timers.Cancellable overflow = overflowTimers.remove(conversationId);
    if (overflow != null) {
      overflow.cancel();
    }
    if (!line.pushes()) {
      listener.manualWaitingChanged(centerId, w.queueId(), conversationId, false);
    }
    return w;
  }

  /**
   * Changes an agent: out of every line it is ordered in, the change, then back into the lines
   * where it is available (members) and has room (ready).
   */
  private void update(AgentSlot agent, Runnable change) {
    for (QueueLine line : lines.values()) {
      line.leave(agent);
    }
    change.run();
    if (!agent.available) {
      return;
    }
    for (long queueId : agent.profile.queueIds()) {
      QueueLine line = lines.get(queueId);
      if (line != null) {
        line.join(agent);
      }
    }
  }

  private AgentSlot agent(long agentId) {
    return agents.computeIfAbsent(agentId, id -> new AgentSlot(id, clock.instant()));
  }

  /** The line of a queue of this center, created on first use and kept in step with the queue's settings. */
  private Optional<QueueLine> line(long queueId) {
    Optional<Queue> queue = queues.apply(queueId).filter(q -> q.centerId() == centerId);
    if (queue.isEmpty()) {
      return Optional.empty();
    }
    QueueLine line = lines.get(queueId);
    if (line != null && line.queue.equals(queue.get())) {
      return Optional.of(line);
    }
    QueueLine fresh = new QueueLine(queue.get(), line != null ? line.history : new QueueHistory());
    if (line != null) {
      fresh.waiting.addAll(line.waiting);
    }
    lines.put(queueId, fresh);
    agents.values().forEach(a -> update(a, () -> { }));
    return Optional.of(fresh);
  }

  // --- timers

  private void scheduleOverflow(WaitingConversation w, Queue queue) {
    if (queue.overflowQueueId() == null) {
      return;
    }
    Duration due = Duration.between(clock.instant(), w.queuedAt().plusSeconds(queue.overflowAfterSeconds()));
    overflowTimers.put(w.conversationId(), timers.schedule(due, () -> act(() -> {
      WaitingConversation current = waitingById.get(w.conversationId());
      if (current != null && current.queueId() == queue.id()) {
        remove(w.conversationId());
        lines.get(queue.id()).history.leftUnserved(clock.instant());
        positions.changed();
        listener.overflow(w.conversationId(), queue.overflowQueueId());
      }
    })));
  }

  private void startGrace(AgentSlot agent) {
    agent.grace = timers.schedule(agentGrace.get(), () -> act(() -> {
      agent.grace = null;
      if (agent.connected || agent.open.isEmpty()) {
        return;
      }
      // They stay in the agent's load until each is released: freed now, an agent back before their
      // requeues are stored would be given new chats on top of them.
      listener.agentGone(centerId, agent.id, new ArrayList<>(agent.open.keySet()));
    }));
  }

  private static void cancelGrace(AgentSlot agent) {
    if (agent.grace != null) {
      agent.grace.cancel();
      agent.grace = null;
    }
  }
}
