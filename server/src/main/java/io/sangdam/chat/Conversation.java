package io.sangdam.chat;

import java.time.Instant;

/**
 * A snapshot of one conversation. {@code agentId} and {@code assignedAt} are null while it waits;
 * {@code createdAt} is its place in line (kept across transfers), {@code queuedAt} when it entered
 * its current queue; {@code lastSeq} is the last committed message.
 */
public record Conversation(long id, long tenantId, long centerId, long queueId, long customerId, String customerName,
    Long agentId, ConversationState state, int priority, Instant createdAt, Instant queuedAt, Instant assignedAt,
    long lastSeq) {

  public Conversation withState(ConversationState newState) {
    return new Conversation(id, tenantId, centerId, queueId, customerId, customerName, agentId, newState, priority,
        createdAt, queuedAt, assignedAt, lastSeq);
  }

  public Conversation assignedTo(long agent, Instant at) {
    return new Conversation(id, tenantId, centerId, queueId, customerId, customerName, agent,
        ConversationState.ASSIGNED, priority, createdAt, queuedAt, at, lastSeq);
  }

  /** Back to waiting, in {@code queue} of {@code center} from {@code at}, keeping its place by {@code createdAt}. */
  public Conversation waitingIn(long center, long queue, int newPriority, Instant at) {
    return new Conversation(id, tenantId, center, queue, customerId, customerName, null, ConversationState.WAITING,
        newPriority, createdAt, at, null, lastSeq);
  }

  public Conversation withLastSeq(long seq) {
    return seq <= lastSeq ? this : new Conversation(id, tenantId, centerId, queueId, customerId, customerName, agentId,
        state, priority, createdAt, queuedAt, assignedAt, seq);
  }

  public boolean isAssignedTo(long agent) {
    return agentId != null && agentId == agent;
  }
}
