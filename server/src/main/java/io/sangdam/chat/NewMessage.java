package io.sangdam.chat;

import java.time.Instant;

/**
 * A message to append; {@code cmid} is null for messages that no client sent (system, a start's
 * text); {@code attachment} is the file the message announces, or null.
 */
public record NewMessage(long conversationId, SenderKind senderKind, Long senderId, String cmid, String body,
    Instant at, Attachment attachment) {

  public NewMessage(long conversationId, SenderKind senderKind, Long senderId, String cmid, String body, Instant at) {
    this(conversationId, senderKind, senderId, cmid, body, at, null);
  }
}
