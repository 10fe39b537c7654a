package io.sangdam.routing;

/**
 * An agent's availability, as routing of the agent's center must learn it: from this node's
 * {@link Routing}, or carried to the node owning the center when there are many.
 */
public interface AgentAvailability {
  void agentAvailable(AgentProfile agent);

  /** AWAY when {@code connected}; OFFLINE or disconnected otherwise, which starts the grace period. */
  void agentUnavailable(long centerId, long agentId, boolean connected);
}
