package io.sangdam.routing;

/** Where a waiting conversation stands in its queue (1 = next) and its estimated wait; null when unknown (nobody online). */
public record Position(long conversationId, int position, Integer etaSeconds) {}
