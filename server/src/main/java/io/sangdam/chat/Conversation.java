package io.sangdam.chat;

import io.sangdam.routing.WaitingConversation;
import java.time.Instant;

/**
 * A snapshot of one conversation. {@code agentId} and {@code assignedAt} are null while it waits;
 * {@code createdAt} is its place in line (kept across transfers), {@code queuedAt} when it entered
 * its current queue; {@code lastSeq} is the last committed message. {@code answered}: an agent has
 * written in it (any agent, before a transfer too); until then a customer who leaves abandons it.
 * {@code channel}: where the customer writes from, {@code web} (the widget) or a channel's code.
 */
public record Conversation(long id, long tenantId, long centerId, long queueId, long customerId, String customerName,
    Long agentId, ConversationState state, int priority, Instant createdAt, Instant queuedAt, Instant assignedAt,
    long lastSeq, boolean answered, String channel) {
  /** The widget's channel. */
  public static final String WEB = "web";

  /** No channel (a node from before channels said nothing of it) is the widget's. */
  public Conversation {
    channel = channel == null ? WEB : channel;
  }

  public Conversation withState(ConversationState newState) {
    return new Conversation(id, tenantId, centerId, queueId, customerId, customerName, agentId, newState, priority,
        createdAt, queuedAt, assignedAt, lastSeq, answered, channel);
  }

  public Conversation assignedTo(long agent, Instant at) {
    return new Conversation(id, tenantId, centerId, queueId, customerId, customerName, agent,
        ConversationState.ASSIGNED, priority, createdAt, queuedAt, at, lastSeq, answered, channel);
  }

  /** Back to waiting, in {@code queue} of {@code center} from {@code at}, keeping its place by {@code createdAt}. */
  public Conversation waitingIn(long center, long queue, int newPriority, Instant at) {
    return new Conversation(id, tenantId, center, queue, customerId, customerName, null, ConversationState.WAITING,
        newPriority, createdAt, at, null, lastSeq, answered, channel);
  }

  /**
   * A bot hands it to {@code queue} of {@code center} at {@code at}: it waits from then, and its place in line
   * counts from then too ({@code createdAt}), not from when the customer met the bot.
   */
  public Conversation handedOff(long center, long queue, int newPriority, Instant at) {
    return new Conversation(id, tenantId, center, queue, customerId, customerName, null, ConversationState.WAITING,
        newPriority, at, at, null, lastSeq, answered, channel);
  }

  /** After a committed message: its seq, and whether an agent has now answered. */
  public Conversation withMessage(long seq, boolean byAgent) {
    if (seq <= lastSeq && (answered || !byAgent)) {
      return this;
    }
    return new Conversation(id, tenantId, centerId, queueId, customerId, customerName, agentId, state, priority,
        createdAt, queuedAt, assignedAt, Math.max(seq, lastSeq), answered || byAgent, channel);
  }

  public Conversation withLastSeq(long seq) {
    return withMessage(seq, false);
  }

  /**
   * Whether its customer talks through a socket of ours (the widget): a channel's customer has none, so
   * is never away for want of one, and their presence means nothing.
   */
  public boolean hasCustomerSocket() {
    return WEB.equals(channel);
  }

  public boolean isAssignedTo(long agent) {
    return agentId != null && agentId == agent;
  }

  /**
   * Whether the customer leaving now abandons it: it waits (also again, after a transfer or a lost
   * agent), or an agent has it but nobody has answered the customer yet; not while a bot has it.
   */
  public boolean abandonable() {
    // With the bot it never waited for anyone: leaving then is an ordinary close (reason customer).
    return state == ConversationState.WAITING || (state.isOpen() && state != ConversationState.BOT && !answered);
  }

  /** As routing's lines hold it, preferring {@code preferredAgent} (null: anyone). */
  WaitingConversation inLine(Long preferredAgent) {
    return new WaitingConversation(id, centerId, queueId, priority, createdAt, queuedAt, preferredAgent);
  }
}
