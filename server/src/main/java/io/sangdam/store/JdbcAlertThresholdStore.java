package io.sangdam.store;

import io.sangdam.dashboard.AlertThreshold;
import io.sangdam.dashboard.AlertThresholdStore;
import java.util.List;

/** The centers' alert thresholds in MariaDB ({@code alert_threshold}, V033); queue 0 stands for the center. */
public final class JdbcAlertThresholdStore implements AlertThresholdStore {
  private final Sql sql;

  public JdbcAlertThresholdStore(Database db) {
    this.sql = new Sql(db);
  }

  @Override
  public List<AlertThreshold> thresholds(long centerId) {
    return sql.list("""
        SELECT center_id, queue_id, waiting, longest_wait_seconds FROM alert_threshold WHERE center_id = ?
        ORDER BY queue_id
        """, rs -> new AlertThreshold(rs.getLong("center_id"), rs.getLong("queue_id") == 0 ? null
        : rs.getLong("queue_id"), Sql.nullableInt(rs, "waiting"), Sql.nullableInt(rs, "longest_wait_seconds")),
        centerId);
  }

  @Override
  public void replace(long centerId, List<AlertThreshold> thresholds) {
    sql.transaction(c -> {
      Sql.update(c, "DELETE FROM alert_threshold WHERE center_id = ?", centerId);
      for (AlertThreshold t : thresholds) {
        Sql.update(c, """
            INSERT INTO alert_threshold (center_id, queue_id, waiting, longest_wait_seconds) VALUES (?, ?, ?, ?)
            """, centerId, t.queueId() == null ? 0L : t.queueId(), t.waiting(), t.longestWaitSeconds());
      }
      return null;
    });
  }
}
