package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import io.sangdam.routing.AgentAvailability;
import io.sangdam.routing.AgentProfile;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * On the owner of a center: each agent's availability as every node with sessions of theirs last
 * reported it, and what routing was told of it. An agent may have sessions on several nodes at once
 * (a reconnect lands on another node before the old connection is found dead), and reports of
 * different nodes arrive in any order. So:
 * <ul>
 *   <li>a report older than one already taken from the same node (each node numbers its reports) is
 *       dropped: a report retried after the center moved cannot undo a later one;
 *   <li>ONLINE or AWAY from any node is what routing hears next (the latest status the agent set);
 *   <li>a node's OFFLINE (a status, or its last session of the agent ending) takes the agent offline
 *       only if no other node has them at work; otherwise routing hears that node's status again,
 *       if the departing node's was the one it was told last;
 *   <li>a node that left the cluster reports nothing any more: its reports are dropped as OFFLINE.
 * </ul>
 * Routing is told inside each agent's update, so it hears an agent's changes in the order decided here.
 */
final class AgentReports {
  private final AgentAvailability routing;
  /** Orders reports as they were taken here, across nodes: the latest is the one routing was told. */
  private final AtomicLong arrivals = new AtomicLong();
  private final Map<Long, Agent> agents = new ConcurrentHashMap<>();

  /** A node's last report of an agent: ONLINE (with a profile), AWAY (with its reason or null), or OFFLINE (kept for its number). */
  private record Report(long centerId, long number, long arrival, Status status, AgentProfile profile,
      String awayReason) {
    boolean atWork() {
      return status != Status.OFFLINE;
    }
  }

  private enum Status { ONLINE, AWAY, OFFLINE }

  /** Per agent, by node; {@code told}: the node whose report routing heard last (null: offline). */
  private record Agent(Map<String, Report> byNode, String told) {}

  AgentReports(AgentAvailability routing) {
    this.routing = requireNonNull(routing, "routing");
  }

  /** {@code node} has the agent ONLINE ({@code number}: that node's count of its reports, rising). */
  void available(AgentProfile agent, String node, long number) {
    take(agent.agentId(), node, new Report(agent.centerId(), number, 0, Status.ONLINE, agent, null));
  }

  /** {@code node} has the agent AWAY ({@code connected}, with {@code awayReason} or null) or no longer at work there. */
  void unavailable(long centerId, long agentId, boolean connected, String awayReason, String node, long number) {
    take(agentId, node, new Report(centerId, number, 0, connected ? Status.AWAY : Status.OFFLINE, null,
        connected ? awayReason : null));
  }

  private void take(long agentId, String node, Report report) {
    agents.compute(agentId, (id, agent) -> {
      Map<String, Report> byNode = agent == null ? new HashMap<>() : agent.byNode();
      Report before = byNode.get(node);
      if (before != null && before.number() >= report.number()) {
        return agent;
      }
      Report taken = new Report(report.centerId(), report.number(), arrivals.incrementAndGet(), report.status(),
          report.profile(), report.awayReason());
      byNode.put(node, taken);
      if (taken.atWork()) {
        tell(agentId, taken);
        return new Agent(byNode, node);
      }
      String told = agent == null ? null : agent.told();
      return new Agent(byNode, told == null || told.equals(node) ? fallBack(agentId, taken.centerId(), byNode) : told);
    });
  }

  /**
   * Every report of {@code node} is dropped: it left the cluster (died, or lost NATS for longer than
   * its entry lives; back, it tells its agents again). Agents it alone had at work go offline.
   */
  void nodeLeft(String node) {
    agents.keySet().forEach(agentId -> agents.computeIfPresent(agentId, (id, agent) -> {
      Report gone = agent.byNode().remove(node);
      if (gone == null) {
        return agent.byNode().isEmpty() ? null : agent;
      }
      String told = node.equals(agent.told()) ? fallBack(agentId, gone.centerId(), agent.byNode()) : agent.told();
      return agent.byNode().isEmpty() ? null : new Agent(agent.byNode(), told);
    }));
  }

  /**
   * The center is being taken up here afresh: what was reported while another node owned it never reached
   * this node, so every report of its agents stands as OFFLINE (keeping its number, so nothing older is
   * taken after) until the nodes tell its new routing again.
   */
  void centerTakenUp(long centerId) {
    agents.keySet().forEach(agentId -> agents.computeIfPresent(agentId, (id, agent) -> {
      agent.byNode().replaceAll((node, r) -> r.centerId() == centerId
          ? new Report(r.centerId(), r.number(), r.arrival(), Status.OFFLINE, null, null) : r);
      return agent.byNode().values().stream().anyMatch(Report::atWork) ? agent : new Agent(agent.byNode(), null);
    }));
  }

  /**
   * The node routing heard last no longer has the agent at work: routing hears the latest status of the
   * other nodes that have, or that the agent is offline. Returns the node now told, or null.
   */
  private String fallBack(long agentId, long centerId, Map<String, Report> byNode) {
    Map.Entry<String, Report> latest = null;
    for (Map.Entry<String, Report> e : byNode.entrySet()) {
      if (e.getValue().atWork() && (latest == null || e.getValue().arrival() > latest.getValue().arrival())) {
        latest = e;
      }
    }
    if (latest == null) {
      routing.agentUnavailable(centerId, agentId, false, null);
      return null;
    }
    tell(agentId, latest.getValue());
    return latest.getKey();
  }

  private void tell(long agentId, Report report) {
    if (report.status() == Status.ONLINE) {
      routing.agentAvailable(report.profile());
    } else {
      routing.agentUnavailable(report.centerId(), agentId, true, report.awayReason());
    }
  }
}
