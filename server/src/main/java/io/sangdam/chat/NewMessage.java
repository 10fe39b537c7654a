package io.sangdam.chat;

import java.time.Instant;
import java.util.List;

/**
 * A message to append; {@code cmid} is null for messages that no client sent (system, bot, a start's
 * text); {@code attachment} is the file the message announces, or null. {@code name} and
 * {@code buttons}: a bot's (null and empty otherwise); {@code button}: the one a customer chose in
 * answer to a bot, or null. {@code notice}: what a system message says as key and params (null otherwise).
 */
public record NewMessage(long conversationId, SenderKind senderKind, Long senderId, String cmid, String body,
    Instant at, Attachment attachment, String name, List<Choice> buttons, String button, Notice notice) {

  public NewMessage {
    buttons = buttons == null ? List.of() : List.copyOf(buttons);
  }

  public NewMessage(long conversationId, SenderKind senderKind, Long senderId, String cmid, String body, Instant at,
      Attachment attachment) {
    this(conversationId, senderKind, senderId, cmid, body, at, attachment, null, List.of(), null, null);
  }

  public NewMessage(long conversationId, SenderKind senderKind, Long senderId, String cmid, String body, Instant at) {
    this(conversationId, senderKind, senderId, cmid, body, at, null);
  }
}
