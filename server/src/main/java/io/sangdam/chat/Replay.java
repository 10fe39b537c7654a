package io.sangdam.chat;

import java.util.List;

/** What a participant missed: the conversation and its messages after the seq they asked from, in order. */
public record Replay(Conversation conversation, List<StoredMessage> messages) {}
