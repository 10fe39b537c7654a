package io.sangdam.audit;

/** Writes the audit log. Implemented in {@code store}; blocks. Entries are never changed or removed. */
public interface AuditLog {
  void record(AuditEntry entry);
}
