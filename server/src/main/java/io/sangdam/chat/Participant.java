package io.sangdam.chat;

/** Someone acting in a conversation: a customer (by customer id) or an agent (by user id). */
public record Participant(SenderKind kind, long id) {
  public static Participant customer(long customerId) {
    return new Participant(SenderKind.CUSTOMER, customerId);
  }

  public static Participant agent(long userId) {
    return new Participant(SenderKind.AGENT, userId);
  }

  /** Whether this participant belongs to {@code c}: its customer, or its assigned agent. */
  public boolean belongsTo(Conversation c) {
    return switch (kind) {
      case CUSTOMER -> c.customerId() == id;
      case AGENT -> c.isAssignedTo(id);
      case SYSTEM, BOT -> false;
    };
  }
}
