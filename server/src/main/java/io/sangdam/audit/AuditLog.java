package io.sangdam.audit;

import java.time.Instant;
import java.util.List;

/** The audit log. Implemented in {@code store}; blocks. Entries are never changed or removed. */
public interface AuditLog {
  void record(AuditEntry entry);

  /** Entries matching {@code query}, newest first, at most {@code limit}. */
  List<Recorded> search(Query query, int limit);

  /**
   * What to look for; null fields do not narrow. {@code tenantId} null: every tenant and HQ-wide
   * entries. {@code action}: a prefix ({@code pii.} finds every unmask). {@code beforeId}: the
   * last entry of the previous page.
   */
  record Query(Long tenantId, String actor, String action, Instant from, Instant to, Long beforeId) {}

  /** An entry as stored, with its id and time. */
  record Recorded(long id, Instant at, AuditEntry entry) {}
}
