package io.sangdam.callback;

import java.time.Instant;

/**
 * A callback request as stored. {@code phone} is the customer's number in full: shown masked to everyone but the
 * agent who claimed it. {@code dueAt} is when it is next to be called (the slot, or the retry after no answer);
 * {@code claimedBy} the agent calling now (CLAIMED only); {@code outcome} the last recorded, null before any call.
 */
public record Callback(long id, long tenantId, long centerId, long queueId, long customerId, String customerName,
    Long conversationId, String phone, String customerNote, Instant slotAt, Instant dueAt, CallbackState state,
    Long claimedBy, Instant claimedAt, int attempts, CallOutcome outcome, String outcomeNote, Instant doneAt,
    Instant createdAt) {

  /** Still uncalled (OPEN) a slot's length after it fell due: the manager sees it as missed. */
  public boolean overdue(Instant now) {
    return state == CallbackState.OPEN && dueAt.plus(CallbackSlots.SLOT).isBefore(now);
  }
}
