package io.sangdam.routing;

/**
 * An agent's availability, as routing of the agent's center must learn it: from this node's
 * {@link Routing}, or carried to the node owning the center when there are many.
 */
public interface AgentAvailability {
  void agentAvailable(AgentProfile agent);

  /**
   * AWAY when {@code connected}, with the code of the tenant's away reason the agent gave (or null);
   * OFFLINE or disconnected otherwise (the reason null), which starts the grace period.
   */
  void agentUnavailable(long centerId, long agentId, boolean connected, String awayReason);
}
