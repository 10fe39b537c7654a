package io.sangdam.routing;

import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import java.util.Collections;
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
  Queue queue;
  final TreeSet<WaitingConversation> waiting = new TreeSet<>(WaitingConversation.LINE_ORDER);
  /** Available agents of this queue, with or without room: the capacity that serves it. */
  private final Set<AgentSlot> members = new HashSet<>();
  /** The members' room, kept as they join and leave so an estimate costs nothing. */
  private int free;
  /** Available agents with room, best first. */
  final TreeSet<AgentSlot> ready;
  /** ROUND_ROBIN: when each agent last had a turn in this queue (0: never). */
  private final Map<Long, Long> turns = new HashMap<>();
  private long tick;
  /** How long this queue's conversations take, and how many of its customers leave the line unserved. */
  final QueueHistory history;

  QueueLine(Queue queue, QueueHistory history) {
    this.queue = queue;
    this.history = history;
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

  /** The available agents of this queue, with or without room. */
  Set<AgentSlot> members() {
    return Collections.unmodifiableSet(members);
  }

  /** Places open in this queue now: its available agents' room. */
  int free() {
    return free;
  }
}
