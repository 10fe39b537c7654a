package io.sangdam.callback;

import static java.util.Objects.requireNonNull;

import io.sangdam.accesslog.AccessLog;
import io.sangdam.accesslog.AccessRecord;
import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.directory.Center;
import io.sangdam.directory.Queue;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every change of a callback request, each one method: stored (then the center's agents are told), claimed by one
 * agent (the number unmasked for them, audited), called (the outcome recorded). Scope checks are the caller's: these
 * take a center or a request already found in the caller's scope. Blocks on the database.
 */
public final class Callbacks {
  /** How far ahead of its time a request shows in the agents' queue: time to get to it. */
  public static final Duration DUE_AHEAD = Duration.ofMinutes(60);
  /** When a no-answer is called again, unless the agent says. */
  public static final Duration RETRY_AFTER = Duration.ofMinutes(30);
  static final Duration LATEST_RETRY = Duration.ofDays(7);
  private static final int QUEUE_LIMIT = 200;

  private final CallbackStore store;
  private final AuditLog audit;
  private final AccessLog access;
  private final CallbackListener listener;
  private final Clock clock;

  public Callbacks(CallbackStore store, AuditLog audit, AccessLog access, CallbackListener listener, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.audit = requireNonNull(audit, "audit");
    this.access = requireNonNull(access, "access");
    this.listener = requireNonNull(listener, "listener");
    this.clock = requireNonNull(clock, "clock");
  }

  public Instant now() {
    return clock.instant();
  }

  /**
   * Stores a customer's request for {@code slot}, one of the center's slots now offered, to be called on
   * {@code phone} (a Korean mobile number). A repeated {@code clientId} of the same customer answers the request
   * stored the first time, whatever else it says, and stores nothing.
   */
  public Callback request(Center center, Queue queue, long customerId, Long conversationId, String clientId,
      String phone, Instant slot, String note) {
    Optional<Callback> earlier = store.byClientId(customerId, clientId);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    String number = PhoneNumbers.mobile(phone)
        .orElseThrow(() -> Fields.invalid("phone", "must be a mobile number such as 010-1234-5678"));
    Instant now = clock.instant();
    if (!slot.isAfter(now)) {
      throw Fields.invalid("slot", "is in the past; choose one of the slots offered");
    }
    if (!CallbackSlots.isOffered(center, slot, now)) {
      throw Fields.invalid("slot", "is not one of the center's slots (its business hours, 30 minutes each, "
          + "the next " + CallbackSlots.DAYS + " days)");
    }
    Callback stored = store.insert(new CallbackStore.NewCallback(center.tenantId(), center.id(), queue.id(),
        customerId, conversationId, clientId, number, note, slot, now));
    listener.changed(stored.centerId(), stored.queueId());
    return stored;
  }

  /**
   * The agent's queue in their center: OPEN requests of the queues they serve due within {@link #DUE_AHEAD}, and
   * those they claimed.
   */
  public List<Callback> queueFor(long centerId, Set<Long> queueIds, long agentId) {
    return store.due(centerId, queueIds, agentId, clock.instant().plus(DUE_AHEAD), QUEUE_LIMIT);
  }

  public Optional<Callback> find(long tenantId, long id) {
    return store.find(tenantId, id);
  }

  public List<Callback> list(CallbackStore.Filter filter) {
    return store.list(filter);
  }

  public List<Callback> forFigures(long tenantId, Long centerId, Long queueId, Instant from, Instant to) {
    return store.forFigures(tenantId, centerId, queueId, from, to);
  }

  /**
   * The agent claims {@code c} to call it: {@code already_taken} when another agent (or they) has it, {@code conflict}
   * when it is done. The answer carries the number in full, and that it was shown is written to the audit log and
   * the access records (without its record the number is not shown).
   */
  public Callback claim(Callback c, long agentId, String agentName, String remoteAddress) {
    if (!store.claim(c.centerId(), c.id(), agentId, clock.instant())) {
      Callback now = store.find(c.tenantId(), c.id()).orElseThrow(() -> SangdamException.notFound("callback " + c.id()));
      if (now.state() == CallbackState.DONE) {
        throw new SangdamException(ErrorCode.CONFLICT, "callback " + c.id() + " is already done");
      }
      throw new SangdamException(ErrorCode.ALREADY_TAKEN, "callback " + c.id() + " is already claimed");
    }
    audit.record(new AuditEntry(agentId, agentName, c.tenantId(), c.centerId(), "pii.unmask", "callback " + c.id(),
        "phone", remoteAddress));
    access.record(new AccessRecord(agentId, agentName, c.tenantId(), c.centerId(), remoteAddress, "unmask",
        "callback " + c.id() + ": phone", List.of(c.customerId()), null));
    listener.changed(c.centerId(), c.queueId());
    return store.find(c.tenantId(), c.id()).orElseThrow(() -> SangdamException.notFound("callback " + c.id()));
  }

  /**
   * The claiming agent records the call: {@code conflict} when they hold no claim on it (never claimed, claimed by
   * another, or the outcome already recorded). No answer is called again at {@code retryAt} (null: after
   * {@link #RETRY_AFTER}), which must lie in the next {@link #LATEST_RETRY}.
   */
  public Callback recordOutcome(Callback c, long agentId, CallOutcome outcome, String note, Instant retryAt) {
    Instant now = clock.instant();
    Instant retry = null;
    if (!outcome.isFinal()) {
      retry = retryAt != null ? retryAt : now.plus(RETRY_AFTER);
      if (!retry.isAfter(now) || retry.isAfter(now.plus(LATEST_RETRY))) {
        throw Fields.invalid("retryAt", "must be later than now and within " + LATEST_RETRY.toDays() + " days");
      }
    } else if (retryAt != null) {
      throw Fields.invalid("retryAt", "goes only with the outcome no_answer");
    }
    if (!store.recordOutcome(c.centerId(), c.id(), agentId, outcome, note, retry, now)) {
      throw new SangdamException(ErrorCode.CONFLICT, "callback " + c.id() + " is not claimed by you: claim it first "
          + "(an outcome is recorded once per claim)");
    }
    listener.changed(c.centerId(), c.queueId());
    return store.find(c.tenantId(), c.id()).orElseThrow(() -> SangdamException.notFound("callback " + c.id()));
  }
}
