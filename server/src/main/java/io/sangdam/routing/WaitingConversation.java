package io.sangdam.routing;

import java.time.Instant;

/** A conversation in a center's waiting line. */
public record WaitingConversation(long conversationId, long centerId, long queueId, int priority, Instant since) {}
