package io.sangdam.store;

import io.sangdam.canned.CannedResponse;
import io.sangdam.canned.CannedStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Canned responses in MariaDB. */
public final class JdbcCannedStore implements CannedStore {
  private static final String COLUMNS =
      "SELECT id, tenant_id, center_id, owner_id, title, shortcut, body, enabled FROM canned_response ";

  private final Sql sql;
  private final Clock clock;

  public JdbcCannedStore(Database db, Clock clock) {
    this.sql = new Sql(db);
    this.clock = clock;
  }

  private static CannedResponse canned(ResultSet rs) throws SQLException {
    return new CannedResponse(rs.getLong("id"), rs.getLong("tenant_id"), Sql.nullableLong(rs, "center_id"),
        Sql.nullableLong(rs, "owner_id"), rs.getString("title"), rs.getString("shortcut"), rs.getString("body"),
        rs.getBoolean("enabled"));
  }

  @Override
  public CannedResponse insert(long tenantId, Long centerId, Long ownerId, String title, String shortcut,
      String body) {
    try {
      long id = sql.insert("""
          INSERT INTO canned_response (tenant_id, center_id, owner_id, title, shortcut, body, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """, tenantId, centerId, ownerId, title, shortcut, body, clock.instant());
      return new CannedResponse(id, tenantId, centerId, ownerId, title, shortcut, body, true);
    } catch (StoreException e) {
      if (Sql.isDuplicate(e)) {
        throw new DuplicateShortcutException(e.getMessage());
      }
      throw e;
    }
  }

  @Override
  public Optional<CannedResponse> find(long id) {
    return sql.one(COLUMNS + "WHERE id = ?", JdbcCannedStore::canned, id);
  }

  @Override
  public List<CannedResponse> ofTenant(long tenantId) {
    return sql.list(COLUMNS + "WHERE tenant_id = ? ORDER BY center_id, owner_id, shortcut LIMIT 5000",
        JdbcCannedStore::canned, tenantId);
  }

  @Override
  public List<CannedResponse> usableBy(long tenantId, long centerId, long agentId) {
    return sql.list(COLUMNS + """
        WHERE tenant_id = ? AND (owner_id = ? OR (owner_id IS NULL AND (center_id IS NULL OR center_id = ?)))
        """, JdbcCannedStore::canned, tenantId, agentId, centerId);
  }

  @Override
  public void update(long id, String title, String body, boolean enabled) {
    sql.update("UPDATE canned_response SET title = ?, body = ?, enabled = ? WHERE id = ?", title, body, enabled, id);
  }
}
