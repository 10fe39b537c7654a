package io.sangdam.chat;

import java.time.Instant;

/** A committed message. {@code repeated} is true when its cmid had been stored before and nothing new was written. */
public record StoredMessage(long conversationId, long seq, SenderKind senderKind, Long senderId, String cmid,
    String body, Instant at, boolean repeated) {

  public StoredMessage asRepeated() {
    return new StoredMessage(conversationId, seq, senderKind, senderId, cmid, body, at, true);
  }
}
