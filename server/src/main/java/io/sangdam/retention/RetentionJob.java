package io.sangdam.retention;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled erasure of what each tenant's retention says is due. Every node ticks it every {@code every}; a
 * run is the slot of that length the tick falls in, and only the node whose insert of the slot's key into {@code
 * retention_run} wins runs it, so across nodes it runs once per slot. It works in small batches (see {@link
 * Eraser}): conversations in order of id, a batch of ids at a time, never a lock on chat tables held across
 * batches; the tenant's undelivered webhook payloads older than its days go too. Audited per tenant and as a whole,
 * with counts.
 */
public final class RetentionJob {
  private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
  private final RetentionStore store;
  private final Eraser eraser;
  private final AuditLog audit;
  private final Clock clock;
  private final String node;
  private final Duration every;

  public RetentionJob(RetentionStore store, Eraser eraser, AuditLog audit, Clock clock, String node, Duration every) {
    this.store = store;
    this.eraser = eraser;
    this.audit = audit;
    this.clock = clock;
    this.node = node;
    this.every = every;
  }

  /** The key of the run a tick at {@code at} belongs to: the start of its slot. */
  String runKey(Instant at) {
    long slot = every.toSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), slot) * slot).toString();
  }

  /** The scheduler's tick: a run that fails is logged, and the next slot's run takes up what it left. */
  public void tick() {
    try {
      run();
    } catch (RuntimeException e) {
      log.error("the retention run failed; the next one goes on from where it stopped", e);
    }
  }

  /** Runs this slot's run, unless a node (this one included) already did; what it erased, or empty then. */
  public Optional<Erased> run() {
    Instant now = clock.instant();
    String key = runKey(now);
    if (!store.claimRun(key, node, now)) {
      return Optional.empty();
    }
    Set<Long> tenants = new LinkedHashSet<>(store.pendingTenants());
    Erased total = Erased.NONE;
    for (RetentionStore.TenantPolicy t : store.policies()) {
      tenants.remove(t.tenantId());
      Erased erased = eraser.leftovers(t.tenantId()).plus(tenant(t.tenantId(), t.policy(), now));
      audit.record(new AuditEntry(null, "retention", t.tenantId(), null, "retention.run", "run " + key,
          erased.detail() + " action=" + t.policy().action() + " node=" + node, null));
      total = total.plus(erased);
    }
    // Conversations an erasure request marked and did not finish, in a tenant that has no retention (now).
    for (long tenantId : tenants) {
      Erased erased = eraser.leftovers(tenantId);
      audit.record(new AuditEntry(null, "retention", tenantId, null, "retention.run", "run " + key,
          erased.detail() + " (left unfinished before) node=" + node, null));
      total = total.plus(erased);
    }
    store.finishRun(key, total, clock.instant());
    audit.record(new AuditEntry(null, "retention", null, null, "retention.run", "run " + key,
        total.detail() + " node=" + node, null));
    return Optional.of(total);
  }

  private Erased tenant(long tenantId, RetentionPolicy policy, Instant now) {
    Instant cutoff = now.minus(Duration.ofDays(policy.days()));
    Instant recordCutoff = policy.recordDays() == null ? cutoff : now.minus(Duration.ofDays(policy.recordDays()));
    int batch = eraser.batchSize();
    Erased erased = Erased.NONE;
    for (List<Long> ids = store.dueConversations(tenantId, cutoff, recordCutoff, 0, batch); !ids.isEmpty();
        ids = store.dueConversations(tenantId, cutoff, recordCutoff, ids.get(ids.size() - 1), batch)) {
      store.mark(tenantId, ids, policy.action(), now);
      erased = erased.plus(eraser.erase(ids));
    }
    int customers = 0;
    for (List<Long> ids = store.dueCustomers(tenantId, cutoff, 0, batch); !ids.isEmpty();
        ids = store.dueCustomers(tenantId, cutoff, ids.get(ids.size() - 1), batch)) {
      customers += store.eraseCustomers(tenantId, ids, policy.action(), now, List.of());
    }
    // Undelivered webhook payloads (pending or given up) carry message text and customer names: they are copies, so
    // they go after days, records or not. Delivered ones are not kept at all.
    int deliveries = 0;
    for (int deleted = store.pruneDeliveries(tenantId, cutoff, batch); deleted > 0;
        deleted = store.pruneDeliveries(tenantId, cutoff, batch)) {
      deliveries += deleted;
    }
    return erased.plus(new Erased(0, 0, 0, 0, customers, deliveries));
  }
}
