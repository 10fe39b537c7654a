package io.sangdam.routing;

import java.time.Instant;

/**
 * Where a center's routing records each change of an agent's status as it sees it (the owner of
 * the center decides an agent's status, whichever nodes their sessions are on): the statistics count
 * the time in each status and away reason from these. Called on an engine's thread: must not block.
 */
public interface AgentStatusLog {
  /** From {@code at} on, the agent is in {@code status} (ONLINE, AWAY, OFFLINE) with {@code awayReason} (or null). */
  void changed(long centerId, long agentId, String status, String awayReason, Instant at);
}
