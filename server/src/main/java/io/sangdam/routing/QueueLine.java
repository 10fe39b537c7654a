package io.sangdam.routing;

import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One queue of a center: its waiting conversations in routing order, and the available agents
 * with room for one more, in the order the queue's policy serves them. Agents are ordered by
 * mutable fields, so the engine takes an agent out of every line before changing it and puts it
 * back after ({@code RoutingEngine.update}).
 */
final class QueueLine {
  /** Handle time assumed before any conversation of the queue has been measured. */
  static final double PRIOR_HANDLE_SECONDS = 180;
  /** Weight of each new handle time in the moving average: recent conversations count most. */
  private static final double HANDLE_WEIGHT = 0.2;

  Queue queue;
  final TreeSet<WaitingConversation> waiting = new TreeSet<>(WaitingConversation.LINE_ORDER);
  /** Available agents of this queue, with or without room: the capacity that serves it. */
  private final Set<AgentSlot> members = new HashSet<>();
  /** Sums over the members, kept as they join and leave so an estimate costs nothing. */
  private int slots;
  private int free;
  /** Available agents with room, best first. */
  final TreeSet<AgentSlot> ready;
  /** ROUND_ROBIN: when each agent last had a turn in this queue (0: never). */
  private final Map<Long, Long> turns = new HashMap<>();
  private long tick;
  private double averageHandleSeconds = PRIOR_HANDLE_SECONDS;

  QueueLine(Queue queue) {
    this.queue = queue;
    this.ready = new TreeSet<>(agentOrder(queue.policy()));
  }

  private Comparator<AgentSlot> agentOrder(RoutingPolicy policy) {
    Comparator<AgentSlot> byId = Comparator.comparingLong(a -> a.id);
    return switch (policy) {
      case ROUND_ROBIN -> Comparator.<AgentSlot>comparingLong(a -> turns.getOrDefault(a.id, 0L)).thenComparing(byId);
      case LEAST_BUSY, MANUAL -> Comparator.comparingInt(AgentSlot::load)
          .thenComparing((AgentSlot a) -> a.idleSince).thenComparing(byId);
    };
  }

  /** An available agent of this queue; must leave before any change to it and join again after. */
  void join(AgentSlot agent) {
    if (members.add(agent)) {
      int capacity = agent.capacity(queue);
      slots += capacity;
      free += Math.max(0, capacity - agent.load());
      if (agent.load() < capacity) {
        ready.add(agent);
      }
    }
  }

  void leave(AgentSlot agent) {
    ready.remove(agent);
    if (members.remove(agent)) {
      int capacity = agent.capacity(queue);
      slots -= capacity;
      free -= Math.max(0, capacity - agent.load());
    }
  }

  boolean pushes() {
    return queue.policy() != RoutingPolicy.MANUAL;
  }

  /** Call between taking the agent out of {@link #ready} and putting it back. */
  void tookTurn(AgentSlot agent) {
    turns.put(agent.id, ++tick);
  }

  void recordHandleTime(double seconds) {
    averageHandleSeconds += HANDLE_WEIGHT * (seconds - averageHandleSeconds);
  }

  double averageHandleSeconds() {
    return averageHandleSeconds;
  }

  /**
   * The estimated wait of the conversation at {@code position} (1 = next). With {@code free}
   * places open now the first {@code free} go at once; each later one waits for a conversation
   * to end, and with {@code slots} conversations in progress, one ends every
   * {@code averageHandle / slots} seconds on average. Null when nobody serves the queue.
   */
  Integer eta(int position) {
    if (position <= free) {
      return 0;
    }
    if (slots == 0) {
      return null;
    }
    return (int) Math.ceil((position - free) * averageHandleSeconds / slots);
  }
}
