package io.sangdam.chat;

import java.time.Instant;
import java.util.List;

/**
 * A committed message. {@code repeated} is true when its cmid had been stored before and nothing
 * new was written; {@code attachment} is the file it announces, or null. A bot's message carries the
 * bot's {@code name} and the {@code buttons} under it (empty when none); a customer's reply to a bot,
 * the {@code button} they chose (null when they typed). A system message's {@code notice} is what it says as key
 * and params (null for other messages, and for system messages stored before notices had keys).
 */
public record StoredMessage(long conversationId, long seq, SenderKind senderKind, Long senderId, String cmid,
    String body, Instant at, Attachment attachment, boolean repeated, String name, List<Choice> buttons,
    String button, Notice notice) {

  public StoredMessage {
    buttons = buttons == null ? List.of() : List.copyOf(buttons);
  }

  /** A message of a person or the system: no bot's name, no buttons. */
  public StoredMessage(long conversationId, long seq, SenderKind senderKind, Long senderId, String cmid,
      String body, Instant at, Attachment attachment, boolean repeated) {
    this(conversationId, seq, senderKind, senderId, cmid, body, at, attachment, repeated, null, List.of(), null,
        null);
  }

  public StoredMessage asRepeated() {
    return new StoredMessage(conversationId, seq, senderKind, senderId, cmid, body, at, attachment, true, name,
        buttons, button, notice);
  }
}
