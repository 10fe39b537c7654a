package io.sangdam.store;

import io.sangdam.stats.Statistics;
import io.sangdam.stats.StatisticsStore;
import io.sangdam.stats.WaitHistogram;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads the statistics roll-ups that {@link Rollups} keeps. */
public final class JdbcStatisticsStore implements StatisticsStore {
  private final Sql sql;

  public JdbcStatisticsStore(Database db) {
    this.sql = new Sql(db);
  }

  /** The columns {@link #totals} adds up, in the order of {@link Totals}. */
  private static final List<String> TOTALS = List.of("offered", "handled", "abandoned", "wait_ms", "answered_in_target",
      "handle_ms", "first_responses", "first_response_ms", "transfers", "csat_responses", "csat_sum");

  /**
   * Each column is summed as a DOUBLE, then cast to BIGINT: MariaDB sums integers as DECIMALs, which took half its time
   * for a tenant's year, and the driver would read each through a BigDecimal. A double adds whole numbers exactly up
   * to 2^53: some 285,000 years of milliseconds in one interval.
   */
  @Override
  public List<Totals> totals(Filter filter, Range range) {
    List<Object> params = new ArrayList<>();
    String interval = interval(range, params);
    String where = where(filter, "hour_start", range.start(), range.end(), params);
    String sums = TOTALS.stream().map(c -> "CAST(SUM(CAST(" + c + " AS DOUBLE)) AS SIGNED)")
        .collect(Collectors.joining(", "));
    return sql.list("SELECT " + interval + " AS slot, " + sums + " FROM stats_hour" + where
        + " GROUP BY " + groupBy(range) + " ORDER BY " + groupBy(range),
        rs -> new Totals(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
            rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12)),
        params.toArray());
  }

  @Override
  public List<CenterHour> centerHours(long tenantId, Instant from) {
    return sql.list("""
        SELECT center_id, hour_start, SUM(offered) AS offered, SUM(handled) AS handled, SUM(abandoned) AS abandoned,
               SUM(answered_in_target) AS answered_in_target
        FROM stats_hour WHERE tenant_id = ? AND hour_start >= ? GROUP BY center_id, hour_start
        """,
        rs -> new CenterHour(rs.getLong("center_id"), Sql.instant(rs, "hour_start"), rs.getLong("offered"),
            rs.getLong("handled"), rs.getLong("abandoned"), rs.getLong("answered_in_target")),
        tenantId, from);
  }

  /**
   * The changes that count (per agent the last before {@code from}, and those in the range) are put in order per
   * agent, each held until the next one (LEAD) or {@code to}, from {@code from} at the earliest; the first one's
   * agent was OFFLINE from {@code from} until it. DATETIME(3) differences in microseconds are whole milliseconds.
   */
  @Override
  public List<StatusMillis> statusMillis(long tenantId, Long centerId, Instant from, Instant to) {
    String scope = centerId == null ? "c.tenant_id = ?" : "c.tenant_id = ? AND s.center_id = ?";
    Object[] scopeParams = centerId == null ? new Object[] {tenantId} : new Object[] {tenantId, centerId};
    List<Object> params = new ArrayList<>(List.of(scopeParams));
    params.add(from);
    params.addAll(List.of(scopeParams));
    params.add(from);
    params.add(to);
    params.addAll(List.of(from, to, from));
    return sql.list("""
        WITH counted AS (
          SELECT id, agent_id, status, reason, changed_at FROM (
            SELECT s.id, s.agent_id, s.status, s.reason, s.changed_at,
                   ROW_NUMBER() OVER (PARTITION BY s.agent_id ORDER BY s.changed_at DESC, s.id DESC) AS latest
            FROM agent_status_change s JOIN center c ON c.id = s.center_id
            WHERE %1$s AND s.changed_at < ?) before_range
          WHERE latest = 1
          UNION ALL
          SELECT s.id, s.agent_id, s.status, s.reason, s.changed_at
          FROM agent_status_change s JOIN center c ON c.id = s.center_id
          WHERE %1$s AND s.changed_at >= ? AND s.changed_at < ?)
        SELECT agent_id, status, reason, CAST(SUM(micros) AS SIGNED) DIV 1000 AS millis FROM (
          SELECT agent_id, status, reason,
                 TIMESTAMPDIFF(MICROSECOND, GREATEST(changed_at, ?),
                               COALESCE(LEAD(changed_at) OVER (PARTITION BY agent_id ORDER BY changed_at, id), ?))
                   AS micros
          FROM counted
          UNION ALL
          SELECT agent_id, 'OFFLINE', NULL, TIMESTAMPDIFF(MICROSECOND, ?, MIN(changed_at))
          FROM counted GROUP BY agent_id) spans
        WHERE micros > 0
        GROUP BY agent_id, status, reason
        """.formatted(scope),
        rs -> new StatusMillis(rs.getLong("agent_id"), rs.getString("status"), rs.getString("reason"),
            rs.getLong("millis")), params.toArray());
  }

  /** Read row by row into {@code waits} (a year holds hundreds of buckets a day); summed as {@link #totals} sums. */
  @Override
  public void countWaits(Filter filter, Range range, WaitCounts waits) {
    List<Object> params = new ArrayList<>();
    String interval = interval(range, params);
    String where = where(filter, "hour_start", range.start(), range.end(), params);
    sql.run(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + interval + " AS slot, bucket, "
          + "CAST(SUM(CAST(waits AS DOUBLE)) AS SIGNED) AS waits FROM stats_wait_hour" + where
          + " GROUP BY " + groupBy(range) + ", bucket ORDER BY " + groupBy(range) + ", bucket")) {
        Sql.bind(ps, params.toArray());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            waits.add(rs.getInt(1), rs.getInt(2), rs.getLong(3));
          }
        }
      }
      return null;
    });
  }

  /** Hours are grouped (and ordered) by their column, which its index keeps in order; days by their number. */
  private static String groupBy(Range range) {
    return range.interval() == Statistics.Interval.HOUR ? "hour_start" : "slot";
  }

  /**
   * The number of the range's interval an hour of the roll-ups counts in, as SQL over {@code hour_start}: whole hours
   * since the start, or the days from the first to the hour's local date, its offset that of the zone at the hour's
   * start (a CASE over the range's changes of offset: summer time, or a zone's new rules).
   */
  private static String interval(Range range, List<Object> params) {
    if (range.interval() == Statistics.Interval.HOUR) {
      params.add(range.start());
      return "TIMESTAMPDIFF(HOUR, ?, hour_start)";
    }
    List<Offset> offsets = range.offsets();
    StringBuilder offset = new StringBuilder();
    if (offsets.size() == 1) {
      offset.append('?');
      params.add(offsets.get(0).seconds());
    } else {
      offset.append("CASE");
      for (int i = 1; i < offsets.size(); i++) {
        offset.append(" WHEN hour_start < ? THEN ?");
        params.add(offsets.get(i).from());
        params.add(offsets.get(i - 1).seconds());
      }
      offset.append(" ELSE ? END");
      params.add(offsets.get(offsets.size() - 1).seconds());
    }
    params.add(range.firstDay());
    return "DATEDIFF(hour_start + INTERVAL " + offset + " SECOND, ?)";
  }

  /**
   * Counts into the per-hour buckets (V055) the waits kept one by one before this version, and those a node of the
   * version before writes during a rolling upgrade (the last node to start then counts the rest). A batch at a
   * time, each row named and marked in the transaction that counts it, so that none is counted twice, even by two
   * nodes starting at once. Returns how many it counted.
   */
  public long countEarlierWaits() {
    long counted = 0;
    while (true) {
      int batch = sql.transaction(c -> {
        List<EarlierWait> waits = Sql.list(c, """
            SELECT conversation_id, created_at, tenant_id, center_id, queue_id, agent_id, channel, wait_ms
            FROM stats_wait WHERE counted = FALSE ORDER BY conversation_id LIMIT 5000 FOR UPDATE
            """, rs -> new EarlierWait(rs.getLong("conversation_id"), Sql.instant(rs, "created_at"),
                rs.getLong("tenant_id"), rs.getLong("center_id"), rs.getLong("queue_id"), rs.getLong("agent_id"),
                rs.getString("channel"), rs.getLong("wait_ms")));
        Map<Rollups.WaitKey, Integer> counts = new HashMap<>();
        for (EarlierWait w : waits) {
          counts.merge(new Rollups.WaitKey(w.createdAt().truncatedTo(ChronoUnit.HOURS), w.tenantId(), w.centerId(),
              w.queueId(), w.agentId(), w.channel(), WaitHistogram.bucket(w.waitMs())), 1, Integer::sum);
        }
        if (waits.isEmpty()) {
          return 0;
        }
        // One statement each for the batch's counts and marks: a big installation's first start counts millions.
        List<Object> params = new ArrayList<>();
        for (Map.Entry<Rollups.WaitKey, Integer> e : counts.entrySet()) {
          Rollups.WaitKey k = e.getKey();
          params.addAll(List.of(k.hour(), k.tenantId(), k.centerId(), k.queueId(), k.agentId(), k.channel(), k.bucket(),
              e.getValue()));
        }
        Sql.update(c, "INSERT INTO stats_wait_hour (hour_start, tenant_id, center_id, queue_id, agent_id, channel, "
            + "bucket, waits) VALUES " + String.join(", ", Collections.nCopies(counts.size(), "(?, ?, ?, ?, ?, ?, ?, ?)"))
            + " ON DUPLICATE KEY UPDATE waits = waits + VALUES(waits)", params.toArray());
        Sql.update(c, "UPDATE stats_wait SET counted = TRUE WHERE conversation_id IN ("
            + String.join(", ", Collections.nCopies(waits.size(), "?")) + ")",
            waits.stream().map(EarlierWait::conversationId).toArray());
        return waits.size();
      });
      counted += batch;
      if (batch == 0) {
        return counted;
      }
    }
  }

  private record EarlierWait(long conversationId, Instant createdAt, long tenantId, long centerId, long queueId,
      long agentId, String channel, long waitMs) {}

  /**
   * Only the narrowest of queue, center and tenant is named (a queue lies in its center, a center
   * in its tenant): with the wider ones too, the optimizer may walk the tenant's whole year and
   * filter, instead of the narrow index range.
   */
  private static String where(Filter filter, String timeColumn, Instant from, Instant to, List<Object> params) {
    StringBuilder where = new StringBuilder(" WHERE ");
    if (filter.queueId() != null) {
      where.append("queue_id = ?");
      params.add(filter.queueId());
    } else if (filter.centerId() != null) {
      where.append("center_id = ?");
      params.add(filter.centerId());
    } else {
      where.append("tenant_id = ?");
      params.add(filter.tenantId());
    }
    if (filter.agentId() != null) {
      where.append(" AND agent_id = ?");
      params.add(filter.agentId());
    }
    if (filter.channels() != null) {
      channelIn(where, params, "channel", filter.channels());
    }
    where.append(" AND ").append(timeColumn).append(" >= ? AND ").append(timeColumn).append(" < ?");
    params.add(from);
    params.add(to);
    return where.toString();
  }

  /** {@code AND column IN (...)}; nothing matches an empty set. */
  static void channelIn(StringBuilder where, List<Object> params, String column, Set<String> channels) {
    if (channels.isEmpty()) {
      where.append(" AND 1 = 0");
      return;
    }
    where.append(" AND ").append(column).append(" IN (").append(String.join(", ", Collections.nCopies(channels.size(),
        "?"))).append(")");
    params.addAll(channels);
  }
}
