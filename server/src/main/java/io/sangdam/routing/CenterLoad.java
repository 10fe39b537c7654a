package io.sangdam.routing;

import java.time.Instant;
import java.util.List;

/**
 * A center's live state as its routing engine holds it: per queue, who waits and how many are
 * being served; per agent known to the engine, their status and open conversations.
 */
public record CenterLoad(long centerId, List<QueueLoad> queues, List<AgentLoad> agents) {

  /** {@code oldestWaitingSince}: when the longest-waiting conversation started waiting here, or null. */
  public record QueueLoad(long queueId, int waiting, int inProgress, Instant oldestWaitingSince) {}

  /**
   * {@code status}: ONLINE, AWAY or OFFLINE (an agent in their grace period, still carrying chats);
   * {@code awayReason}: the away reason's code, or null; {@code since}: in that status and reason since.
   */
  public record AgentLoad(long agentId, String status, String awayReason, int open, Instant since) {}

  public static CenterLoad empty(long centerId) {
    return new CenterLoad(centerId, List.of(), List.of());
  }
}
