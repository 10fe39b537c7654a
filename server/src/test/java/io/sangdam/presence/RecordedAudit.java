package io.sangdam.presence;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The audit log as a list the test reads; the sockets only write to it. */
final class RecordedAudit implements AuditLog {
  final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

  @Override
  public void record(AuditEntry entry) {
    entries.add(entry);
  }

  @Override
  public List<Recorded> search(Query query, int limit) {
    throw new UnsupportedOperationException("the sockets do not search the audit log");
  }
}
