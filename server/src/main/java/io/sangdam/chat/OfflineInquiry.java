package io.sangdam.chat;

import java.time.Instant;

/** A message left out of hours, for the center's people to answer when it opens. {@code handledAt} null: still open. */
public record OfflineInquiry(long id, long centerId, long queueId, long customerId, String customerName, String contact,
    String text, Instant createdAt, Long handledBy, Instant handledAt) {}
