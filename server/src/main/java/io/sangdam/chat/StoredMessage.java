package io.sangdam.chat;

import java.time.Instant;

/**
 * A committed message. {@code repeated} is true when its cmid had been stored before and nothing
 * new was written; {@code attachment} is the file it announces, or null.
 */
public record StoredMessage(long conversationId, long seq, SenderKind senderKind, Long senderId, String cmid,
    String body, Instant at, Attachment attachment, boolean repeated) {

  public StoredMessage asRepeated() {
    return new StoredMessage(conversationId, seq, senderKind, senderId, cmid, body, at, attachment, true);
  }
}
