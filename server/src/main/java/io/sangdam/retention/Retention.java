package io.sangdam.retention;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's retention setting, its legal holds and its customers' erasure on request: each change checked, stored,
 * then audited (a refusal of a period below the operator's legal minimum too).
 */
public final class Retention {
  private final RetentionStore store;
  private final Eraser eraser;
  private final AuditLog audit;
  private final Clock clock;
  private final int minimumDays;

  public Retention(RetentionStore store, Eraser eraser, AuditLog audit, Clock clock, int minimumDays) {
    this.store = store;
    this.eraser = eraser;
    this.audit = audit;
    this.clock = clock;
    this.minimumDays = minimumDays;
  }

  /** The operator's legal minimum ({@code retention.minimumDays}): no tenant's period may be shorter. */
  public int minimumDays() {
    return minimumDays;
  }

  public Optional<RetentionPolicy> policy(long tenantId) {
    return store.policy(tenantId);
  }

  /** Stores the tenant's retention; a period below the legal minimum is refused naming its field, and audited. */
  public RetentionPolicy save(Requester r, long tenantId, RetentionPolicy policy) {
    refuseBelowMinimum(r, tenantId, "days", policy.days());
    if (policy.recordDays() != null) {
      refuseBelowMinimum(r, tenantId, "recordDays", policy.recordDays());
    }
    store.save(tenantId, policy, clock.instant());
    audit.record(new AuditEntry(r.userId(), r.username(), tenantId, null, "retention.settings", "tenant " + tenantId,
        "days=" + policy.days() + " recordDays=" + policy.recordDays() + " recordQueues=" + policy.recordQueues().size()
            + " action=" + policy.action(), r.remoteAddress()));
    return policy;
  }

  /** The tenant keeps everything again; false when it had no retention. */
  public boolean remove(Requester r, long tenantId) {
    boolean removed = store.remove(tenantId);
    if (removed) {
      audit.record(new AuditEntry(r.userId(), r.username(), tenantId, null, "retention.settings", "tenant " + tenantId,
          "removed: kept for ever", r.remoteAddress()));
    }
    return removed;
  }

  private void refuseBelowMinimum(Requester r, long tenantId, String field, int days) {
    if (days < minimumDays) {
      audit.record(new AuditEntry(r.userId(), r.username(), tenantId, null, "retention.refused", "tenant " + tenantId,
          field + "=" + days + " is below the legal minimum of " + minimumDays + " days", r.remoteAddress()));
      throw Fields.invalid(field, "must be at least " + minimumDays + " days, the legal minimum the operator set");
    }
  }

  public List<LegalHold> holds(long tenantId, boolean withReleased, int limit) {
    return store.holds(tenantId, withReleased, limit);
  }

  /**
   * Places a hold on a customer or a conversation (exactly one) of the tenant: {@code conflict} when one is active
   * on it already, not found when there is no such subject (or it is erased).
   */
  public LegalHold place(Requester r, long tenantId, Long customerId, Long conversationId, String reason) {
    String subject = customerId != null ? "customer " + customerId : "conversation " + conversationId;
    store.activeHold(tenantId, customerId, conversationId).ifPresent(h -> {
      throw new SangdamException(ErrorCode.CONFLICT, subject + " is already on hold (hold " + h.id() + ")");
    });
    LegalHold hold = store.place(tenantId, customerId, conversationId, reason, r.username(), clock.instant())
        .orElseThrow(() -> SangdamException.notFound(subject));
    audit.record(new AuditEntry(r.userId(), r.username(), tenantId, null, "retention.hold.place", subject,
        "hold " + hold.id() + ": " + reason, r.remoteAddress()));
    return hold;
  }

  /** Releases an active hold: not found when the tenant has no such hold, {@code conflict} when already released. */
  public LegalHold release(Requester r, long tenantId, long holdId, String reason) {
    LegalHold hold = store.hold(tenantId, holdId).orElseThrow(() -> SangdamException.notFound("hold " + holdId));
    if (!store.release(tenantId, holdId, r.username(), reason, clock.instant())) {
      throw new SangdamException(ErrorCode.CONFLICT, "hold " + holdId + " is already released");
    }
    String subject = hold.customerId() != null ? "customer " + hold.customerId()
        : "conversation " + hold.conversationId();
    audit.record(new AuditEntry(r.userId(), r.username(), tenantId, null, "retention.hold.release", subject,
        "hold " + holdId + ": " + reason, r.remoteAddress()));
    return store.hold(tenantId, holdId).orElseThrow();
  }

  /**
   * Erases the customer's data now, whatever its age: every conversation of theirs (messages, notes, attachments
   * and their files, form answers, bot fields), their callbacks, offline inquiries, undelivered webhook payloads,
   * contact data and channel link; rows are deleted or stripped as the tenant's action says (ANONYMISE when it set
   * none). A conversation that is a record another law requires (ended in a record queue less than its recordDays
   * ago) is kept as one instead ({@link RetentionStore#keepAsRecord}): the job erases it when its period is over.
   * Not found when the customer is not the tenant's or is erased already (a repeat is 404); {@code conflict} while
   * a hold is on them or one of their conversations, or one of them has not ended.
   */
  public CustomerErasure erase(Requester r, long tenantId, long customerId, String reason) {
    RetentionStore.Customer customer = store.customer(tenantId, customerId)
        .orElseThrow(() -> SangdamException.notFound("customer " + customerId));
    if (customer.holdId() != null) {
      refuse(r, tenantId, customerId, "customer " + customerId + " is on legal hold (hold " + customer.holdId()
          + "); release it first");
    }
    store.heldConversationOf(tenantId, customerId).ifPresent(hold -> refuse(r, tenantId, customerId,
        "a conversation of customer " + customerId + " is on legal hold (hold " + hold + "); release it first"));
    if (customer.open() > 0) {
      refuse(r, tenantId, customerId, "customer " + customerId + " has a conversation that has not ended; "
          + "erase them once it has");
    }
    Optional<RetentionPolicy> policy = store.policy(tenantId);
    RetentionPolicy.Action action = policy.map(RetentionPolicy::action).orElse(RetentionPolicy.Action.ANONYMISE);
    Instant now = clock.instant();
    List<Long> records = policy.filter(p -> p.recordDays() != null && !p.recordQueues().isEmpty())
        .map(p -> store.records(tenantId, customerId, now.minus(Duration.ofDays(p.recordDays())))).orElse(List.of());
    List<Long> conversations = store.conversationsOf(tenantId, customerId).stream()
        .filter(id -> !records.contains(id)).toList();
    for (int from = 0; from < conversations.size(); from += eraser.batchSize()) {
      store.mark(tenantId, conversations.subList(from, Math.min(conversations.size(), from + eraser.batchSize())),
          action, now);
    }
    Erased erased = eraser.erase(conversations);
    for (int from = 0; from < records.size(); from += eraser.batchSize()) {
      store.keepAsRecord(tenantId, records.subList(from, Math.min(records.size(), from + eraser.batchSize())));
    }
    int deliveries = store.eraseDeliveriesOf(tenantId, customerId);
    int customers = store.eraseCustomers(tenantId, List.of(customerId), action, now, records);
    erased = erased.plus(new Erased(0, 0, 0, 0, customers, deliveries));
    audit.record(new AuditEntry(r.userId(), r.username(), tenantId, null, "retention.erase",
        "customer " + customerId, erased.detail() + " keptAsRecord=" + records.size() + " action=" + action + ": "
            + reason, r.remoteAddress()));
    if (customers == 0) {
      // A hold or a new conversation came in between the checks and the last step: what was erased is recorded
      // above; the customer stays until asked again.
      throw new SangdamException(ErrorCode.CONFLICT, "customer " + customerId + " was held or started a "
          + "conversation meanwhile; their ended conversations are erased, ask again once it has ended");
    }
    return new CustomerErasure(erased, records.size());
  }

  private void refuse(Requester r, long tenantId, long customerId, String why) {
    audit.record(new AuditEntry(r.userId(), r.username(), tenantId, null, "retention.erase.refused",
        "customer " + customerId, why, r.remoteAddress()));
    throw new SangdamException(ErrorCode.CONFLICT, why);
  }
}
