package io.sangdam.chat;

import java.time.Instant;

/** A snapshot of one conversation. {@code agentId} is null until assigned; {@code lastSeq} is the last committed message. */
public record Conversation(long id, long tenantId, long centerId, long queueId, long customerId, String customerName,
    Long agentId, ConversationState state, int priority, Instant createdAt, long lastSeq) {

  public Conversation withState(ConversationState newState) {
    return new Conversation(id, tenantId, centerId, queueId, customerId, customerName, agentId, newState, priority,
        createdAt, lastSeq);
  }

  public Conversation withAgent(Long newAgentId, ConversationState newState) {
    return new Conversation(id, tenantId, centerId, queueId, customerId, customerName, newAgentId, newState, priority,
        createdAt, lastSeq);
  }

  public Conversation withLastSeq(long seq) {
    return seq <= lastSeq ? this : new Conversation(id, tenantId, centerId, queueId, customerId, customerName, agentId,
        state, priority, createdAt, seq);
  }

  public boolean isAssignedTo(long agent) {
    return agentId != null && agentId == agent;
  }
}
