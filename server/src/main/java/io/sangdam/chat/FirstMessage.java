package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

/**
 * A customer's message that opens their conversation: stored with the conversation, in the transaction
 * that opens it, so no agent is ever offered a conversation without it and no crash leaves one opened
 * without it. {@code cmid}: the id the customer's side gave it (a channel's {@code mid}), so that a
 * repeat is stored once; null when none was given (the widget's {@code start}).
 */
public record FirstMessage(String text, String cmid) {
  public FirstMessage {
    requireNonNull(text, "text");
  }

  /** The widget's opening text, which comes without an id of its own. */
  public static FirstMessage of(String text) {
    return new FirstMessage(text, null);
  }
}
