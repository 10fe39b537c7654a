package io.sangdam.chat;

import java.time.Instant;

/**
 * An internal note beside a conversation: NOTE (an agent's), TRANSFER (left with a transfer) or
 * WHISPER (a supervisor's). Never shown to the customer. {@code repeated}: its cmid was stored before.
 */
public record Note(long id, long conversationId, long authorId, String kind, String cmid, String body, Instant at,
    boolean repeated) {}
