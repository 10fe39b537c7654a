package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.stats.Statistics;
import io.sangdam.stats.StatisticsStore;
import io.sangdam.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Waits kept one by one before V055 ({@code stats_wait}), and those a node of the version before still writes there
 * during a rolling upgrade, are counted into the hourly buckets at start, each once.
 */
@ExtendWith(TestDatabase.class)
class WaitBucketsIT {
  private static final StatisticsStore.Filter TENANT = new StatisticsStore.Filter(1, null, null, null, null);
  private static final Instant DAY = Instant.parse("2026-01-05T00:00:00Z");

  @Test
  void waitsKeptBeforeTheBucketsAreCountedOnceAtStart(TestDatabase.Url url) throws SQLException {
    String before = Arrays.stream(Flyway.configure().dataSource(url.url(), url.user(), url.password())
            .locations("classpath:db/migration").load().info().all())
        .map(m -> m.getVersion()).filter(v -> !v.isAtLeast("55"))
        .max(Comparator.naturalOrder()).orElseThrow().getVersion();
    Flyway.configure().dataSource(url.url(), url.user(), url.password()).locations("classpath:db/migration")
        .target(before).load().migrate();
    keptOneByOne(url, 1, "2026-01-05 09:10:00", 30_000);
    keptOneByOne(url, 2, "2026-01-05 09:50:00", 20_000);
    keptOneByOne(url, 3, "2026-01-05 09:59:59.999", 0);
    keptOneByOne(url, 4, "2026-01-05 10:05:00", 150_000);
    keptOneByOne(url, 5, "2026-01-05 10:06:00", 102_349);

    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      JdbcStatisticsStore store = new JdbcStatisticsStore(db);
      assertEquals(5, store.countEarlierWaits());
      assertEquals(0, store.countEarlierWaits(), "a second start counts nothing again");

      // Hours 9 and 10 of the day; 150 s is beyond the tenths: bucket 1038 (147.2 to 150.3 s), shown as its middle.
      assertEquals(List.of(new WaitCount(9, 0, 1), new WaitCount(9, 200, 1), new WaitCount(9, 300, 1),
          new WaitCount(10, 1023, 1), new WaitCount(10, 1038, 1)), waitCounts(store, TENANT, DAY, 24));
      Statistics statistics = new Statistics(store);
      LocalDate day = LocalDate.of(2026, 1, 5);
      // Rank ceil(0.9 * 5) = 5 of 5: the 150 s wait, as its bucket stands for it (within 1.6 %).
      assertEquals(148.8, report(statistics, day).total().p90WaitSeconds());

      // An old node ends one more during the rolling upgrade; the next node to start counts it, and only it.
      keptOneByOne(url, 6, "2026-01-05 10:30:00", 5_000);
      assertEquals(1, store.countEarlierWaits());
      assertEquals(List.of(new WaitCount(0, 50, 1), new WaitCount(0, 1023, 1), new WaitCount(0, 1038, 1)),
          waitCounts(store, TENANT, DAY.plusSeconds(10 * 3600), 1));
      // Rank ceil(0.9 * 6) = 6 of 6: still the 150 s one.
      assertEquals(148.8, report(statistics, day).total().p90WaitSeconds());
      assertEquals(List.of(), waitCounts(store, new StatisticsStore.Filter(2, null, null, null, null), DAY, 24),
          "another tenant's report counts none of them");
    }
  }

  private record WaitCount(int hour, int bucket, long waits) {}

  /** The counts of {@code hours} hours from {@code start}, by hour of them. */
  private static List<WaitCount> waitCounts(JdbcStatisticsStore store, StatisticsStore.Filter filter, Instant start,
      int hours) {
    List<WaitCount> counts = new ArrayList<>();
    store.countWaits(filter, new StatisticsStore.Range(start, start.plusSeconds(hours * 3600L),
        Statistics.Interval.HOUR, LocalDate.ofInstant(start, ZoneOffset.UTC), ZoneOffset.UTC),
        (hour, bucket, waits) -> counts.add(new WaitCount(hour, bucket, waits)));
    return counts;
  }

  private static Statistics.Report report(Statistics statistics, LocalDate day) {
    return statistics.report(TENANT, day, day, Statistics.Interval.DAY, ZoneOffset.UTC);
  }

  /** A handled conversation's wait as the version before V055 kept it. */
  private static void keptOneByOne(TestDatabase.Url url, long conversationId, String createdAt, int waitMs)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement("""
            INSERT INTO stats_wait (conversation_id, tenant_id, center_id, queue_id, agent_id, channel, created_at,
                                    wait_ms)
            VALUES (?, 1, 10, 100, 7, 'web', ?, ?)
            """)) {
      ps.setLong(1, conversationId);
      ps.setString(2, createdAt);
      ps.setInt(3, waitMs);
      assertEquals(1, ps.executeUpdate());
    }
  }
}
