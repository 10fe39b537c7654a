package io.sangdam.chat;

import java.time.Instant;

/** A message to append; {@code cmid} is null for messages that no client sent (system, a start's text). */
public record NewMessage(long conversationId, SenderKind senderKind, Long senderId, String cmid, String body,
    Instant at) {}
