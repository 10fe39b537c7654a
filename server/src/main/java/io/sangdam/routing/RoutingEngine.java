package io.sangdam.routing;

import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;

/**
 * The routing engine of one center. Every method posts to the center's serial executor, and the
 * state below is touched only from there, so no chat goes to two agents and no agent goes over
 * capacity, without locks. Policy: LEAST_BUSY (fewest open chats below capacity, ties to the
 * longest idle); MANUAL queues are never pushed.
 */
final class RoutingEngine {
  private static final Comparator<WaitingConversation> ORDER = Comparator
      .comparingInt(WaitingConversation::priority).reversed()
      .thenComparing(WaitingConversation::since)
      .thenComparingLong(WaitingConversation::conversationId);

  private final Executor mailbox;
  private final LongFunction<Optional<Queue>> queues;
  private final Assigner assigner;
  private final Clock clock;

  private final TreeSet<WaitingConversation> waiting = new TreeSet<>(ORDER);
  private final Map<Long, WaitingConversation> waitingById = new HashMap<>();
  private final Map<Long, AgentProfile> available = new HashMap<>();
  /** Open conversations per agent, whether or not the agent is available: an agent's load. */
  private final Map<Long, Set<Long>> loads = new HashMap<>();
  private final Map<Long, Instant> idleSince = new HashMap<>();

  RoutingEngine(Executor pool, LongFunction<Optional<Queue>> queues, Assigner assigner, Clock clock) {
    this.mailbox = new SerialExecutor(pool);
    this.queues = queues;
    this.assigner = assigner;
    this.clock = clock;
  }

  void offer(WaitingConversation w) {
    mailbox.execute(() -> {
      if (waitingById.putIfAbsent(w.conversationId(), w) == null) {
        waiting.add(w);
      }
      route();
    });
  }

  void withdraw(long conversationId) {
    mailbox.execute(() -> {
      WaitingConversation w = waitingById.remove(conversationId);
      if (w != null) {
        waiting.remove(w);
      }
    });
  }

  void restoreLoad(long agentId, long conversationId) {
    mailbox.execute(() -> loads.computeIfAbsent(agentId, a -> new HashSet<>()).add(conversationId));
  }

  void released(long agentId, long conversationId) {
    mailbox.execute(() -> {
      Set<Long> load = loads.get(agentId);
      if (load != null && load.remove(conversationId)) {
        route();
      }
    });
  }

  void agentAvailable(AgentProfile agent) {
    mailbox.execute(() -> {
      if (available.put(agent.agentId(), agent) == null) {
        idleSince.put(agent.agentId(), clock.instant());
      }
      route();
    });
  }

  void agentUnavailable(long agentId) {
    mailbox.execute(() -> available.remove(agentId));
  }

  /** Runs {@code probe} on the engine's thread, after everything posted before it. */
  void inspect(Runnable probe) {
    mailbox.execute(probe);
  }

  int waitingCount() {
    return waiting.size();
  }

  int load(long agentId) {
    Set<Long> load = loads.get(agentId);
    return load == null ? 0 : load.size();
  }

  /** Assigns waiting conversations, best first, while any agent has room for one. */
  private void route() {
    if (available.isEmpty()) {
      return;
    }
    Iterator<WaitingConversation> it = waiting.iterator();
    while (it.hasNext()) {
      WaitingConversation w = it.next();
      Optional<Queue> queue = queues.apply(w.queueId());
      if (queue.isEmpty() || queue.get().policy() == RoutingPolicy.MANUAL) {
        continue;
      }
      Optional<AgentProfile> agent = leastBusy(queue.get());
      if (agent.isEmpty()) {
        continue;
      }
      it.remove();
      waitingById.remove(w.conversationId());
      long agentId = agent.get().agentId();
      loads.computeIfAbsent(agentId, a -> new HashSet<>()).add(w.conversationId());
      idleSince.put(agentId, clock.instant());
      assigner.assign(w.conversationId(), agentId);
    }
  }

  private Optional<AgentProfile> leastBusy(Queue queue) {
    AgentProfile best = null;
    for (AgentProfile a : available.values()) {
      if (!a.queueIds().contains(queue.id())) {
        continue;
      }
      int capacity = a.maxChats() != null ? a.maxChats() : queue.maxChatsPerAgent();
      int load = load(a.agentId());
      if (load >= capacity) {
        continue;
      }
      if (best == null || load < load(best.agentId())
          || (load == load(best.agentId()) && idleSince.get(a.agentId()).isBefore(idleSince.get(best.agentId())))) {
        best = a;
      }
    }
    return Optional.ofNullable(best);
  }
}
