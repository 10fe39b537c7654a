package io.sangdam.routing;

import java.time.Instant;
import java.util.Comparator;

/**
 * A conversation in a center's waiting line. {@code since} is when the customer first started
 * (kept across transfers and overflow, so a moved conversation keeps its place); {@code queuedAt}
 * is when it entered this queue (the overflow clock). {@code preferredAgentId} is the customer's
 * previous agent, or null.
 */
public record WaitingConversation(long conversationId, long centerId, long queueId, int priority, Instant since,
    Instant queuedAt, Long preferredAgentId) {

  /** Priority first, then earliest start, then id: the one order of every waiting line. */
  public static final Comparator<WaitingConversation> LINE_ORDER = Comparator
      .comparingInt(WaitingConversation::priority).reversed()
      .thenComparing(WaitingConversation::since)
      .thenComparingLong(WaitingConversation::conversationId);

  public WaitingConversation movedTo(long newCenterId, long newQueueId, int newPriority, Instant at) {
    return new WaitingConversation(conversationId, newCenterId, newQueueId, newPriority, since, at, preferredAgentId);
  }
}
