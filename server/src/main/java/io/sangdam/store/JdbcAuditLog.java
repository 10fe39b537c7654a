package io.sangdam.store;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The audit log in MariaDB: inserts and reads only; nothing here changes or removes an entry. */
public final class JdbcAuditLog implements AuditLog {
  private final Sql sql;
  private final Clock clock;

  public JdbcAuditLog(Database db, Clock clock) {
    this.sql = new Sql(db);
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

  @Override
  public List<Recorded> search(Query q, int limit) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (q.tenantId() != null) {
      where.append(" AND tenant_id = ?");
      params.add(q.tenantId());
    }
    if (q.actor() != null) {
      where.append(" AND actor_name = ?");
      params.add(q.actor());
    }
    if (q.action() != null) {
      where.append(" AND action LIKE ?");
      params.add(q.action().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    }
    if (q.from() != null) {
      where.append(" AND at >= ?");
      params.add(q.from());
    }
    if (q.to() != null) {
      where.append(" AND at < ?");
      params.add(q.to());
    }
    if (q.beforeId() != null) {
      where.append(" AND id < ?");
      params.add(q.beforeId());
    }
    params.add(limit);
    return sql.list("""
        SELECT id, at, tenant_id, center_id, actor_id, actor_name, action, target, detail, remote_addr
        FROM audit_log""" + where + " ORDER BY id DESC LIMIT ?",
        rs -> new Recorded(rs.getLong("id"), Sql.instant(rs, "at"), new AuditEntry(Sql.nullableLong(rs, "actor_id"),
            rs.getString("actor_name"), Sql.nullableLong(rs, "tenant_id"), Sql.nullableLong(rs, "center_id"),
            rs.getString("action"), rs.getString("target"), rs.getString("detail"), rs.getString("remote_addr"))),
        params.toArray());
  }
}
