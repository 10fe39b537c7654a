package io.sangdam.routing;

import java.util.concurrent.CompletableFuture;

/**
 * An agent's availability, as routing of the agent's center must learn it: from this node's
 * {@link Routing}, or carried to the node owning the center when there are many. Each call completes
 * once the center's routing has the status in line, ahead of anything asked of it after (a transfer
 * to the agent finds them ONLINE). It completes normally also when another node's routing could not
 * be told, which is logged, since the agent's next status, a reconnect or the center's next owner
 * tells it again; it throws when this node's routing is not running.
 */
public interface AgentAvailability {
  CompletableFuture<Void> agentAvailable(AgentProfile agent);

  /**
   * AWAY when {@code connected}, with the code of the tenant's away reason the agent gave (or null);
   * OFFLINE or disconnected otherwise (the reason null), which starts the grace period.
   */
  CompletableFuture<Void> agentUnavailable(long centerId, long agentId, boolean connected, String awayReason);
}
