package io.sangdam.store;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import java.time.Clock;

/** The audit log in MariaDB: inserts only. */
public final class JdbcAuditLog implements AuditLog {
  private final Sql sql;
  private final Clock clock;

  public JdbcAuditLog(Database db, Clock clock) {
    this.sql = new Sql(db.dataSource());
    this.clock = clock;
  }

  @Override
  public void record(AuditEntry e) {
    sql.update("""
        INSERT INTO audit_log (at, tenant_id, center_id, actor_id, actor_name, action, target, detail, remote_addr)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, clock.instant(), e.tenantId(), e.centerId(), e.actorId(), e.actorName(), e.action(), e.target(),
        e.detail(), e.remoteAddress());
  }
}
