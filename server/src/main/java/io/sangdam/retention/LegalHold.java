package io.sangdam.retention;

import java.time.Instant;

/** A legal hold on a customer or (exactly one of the two) a conversation; active while {@code releasedAt} is null. */
public record LegalHold(long id, long tenantId, Long customerId, Long conversationId, String reason, String placedBy,
    Instant placedAt, String releasedBy, Instant releasedAt, String releaseReason) {

  public boolean active() {
    return releasedAt == null;
  }
}
