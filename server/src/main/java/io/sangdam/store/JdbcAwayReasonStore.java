package io.sangdam.store;

import io.sangdam.directory.AwayReason;
import io.sangdam.directory.AwayReasonStore;
import io.sangdam.directory.DirectoryStore.DuplicateException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The tenants' away reasons in MariaDB ({@code away_reason}, V029). */
public final class JdbcAwayReasonStore implements AwayReasonStore {
  private static final String SELECT = """
      SELECT tenant_id, code, name, name_en, enabled FROM away_reason WHERE tenant_id = ? ORDER BY sort_order, code
      """;

  private final Sql sql;

  public JdbcAwayReasonStore(Database db) {
    this.sql = new Sql(db);
  }

  private static AwayReason reason(ResultSet rs) throws SQLException {
    return new AwayReason(rs.getLong("tenant_id"), rs.getString("code"), rs.getString("name"),
        rs.getString("name_en"), rs.getBoolean("enabled"));
  }

  @Override
  public List<AwayReason> reasons(long tenantId) {
    return sql.transaction(c -> {
      List<AwayReason> found = Sql.list(c, SELECT, JdbcAwayReasonStore::reason, tenantId);
      if (!found.isEmpty()) {
        return found;
      }
      // INSERT IGNORE: two nodes reading a new tenant's reasons at once both write the same defaults.
      int order = 0;
      for (AwayReason.Default d : AwayReason.DEFAULTS) {
        Sql.update(c, """
            INSERT IGNORE INTO away_reason (tenant_id, code, name, name_en, enabled, sort_order)
            VALUES (?, ?, ?, ?, TRUE, ?)
            """, tenantId, d.code(), d.name(), d.nameEn(), ++order);
      }
      return Sql.list(c, SELECT, JdbcAwayReasonStore::reason, tenantId);
    });
  }

  @Override
  public void insert(AwayReason r) {
    try {
      sql.run(c -> Sql.update(c, """
          INSERT INTO away_reason (tenant_id, code, name, name_en, enabled, sort_order)
          SELECT ?, ?, ?, ?, ?, COALESCE(MAX(sort_order), 0) + 1 FROM away_reason WHERE tenant_id = ?
          """, r.tenantId(), r.code(), r.name(), r.nameEn(), r.enabled(), r.tenantId()));
    } catch (StoreException e) {
      if (Sql.isDuplicate(e)) {
        throw new DuplicateException(e.getMessage());
      }
      throw e;
    }
  }

  @Override
  public void update(AwayReason r) {
    sql.update("UPDATE away_reason SET name = ?, name_en = ?, enabled = ? WHERE tenant_id = ? AND code = ?",
        r.name(), r.nameEn(), r.enabled(), r.tenantId(), r.code());
  }

}
