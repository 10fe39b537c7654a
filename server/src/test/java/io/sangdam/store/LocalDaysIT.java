package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.stats.Figures;
import io.sangdam.stats.Statistics;
import io.sangdam.stats.StatisticsStore;
import io.sangdam.stats.WaitHistogram;
import io.sangdam.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database adds the hourly roll-ups up per local day (or per hour of the report) itself: each interval must hold
 * exactly the hours whose start falls in it, as java.time places them, in zones with summer time (changed at 02:00,
 * or at midnight so that a day starts at 01:00), with half-hour and 45-minute offsets, and with a summer time of half an
 * hour. Every hour of 2026 has figures of its own (different offered counts and waits), so an hour counted in the
 * wrong day changes that day's figures.
 */
@ExtendWith(TestDatabase.class)
class LocalDaysIT {
  private static final StatisticsStore.Filter TENANT = new StatisticsStore.Filter(1, null, null, null, null);
  private static final Instant YEAR = Instant.parse("2026-01-01T00:00:00Z");
  private static final int HOURS = 365 * 24;
  private static final List<ZoneId> ZONES = List.of(ZoneId.of("Asia/Seoul"), ZoneId.of("America/New_York"),
      ZoneId.of("Europe/Berlin"), ZoneId.of("America/Santiago"), ZoneId.of("Asia/Kolkata"),
      ZoneId.of("Asia/Kathmandu"), ZoneId.of("America/St_Johns"), ZoneId.of("Australia/Lord_Howe"),
      ZoneOffset.ofHoursMinutes(-9, -30));

  @Test
  void eachLocalDayHoldsTheHoursThatStartInIt(TestDatabase.Url url) throws SQLException {
    LocalDate from = LocalDate.of(2026, 1, 2);
    LocalDate to = LocalDate.of(2026, 12, 30);
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      everyHourOf2026(url);
      Statistics statistics = new Statistics(new JdbcStatisticsStore(db));
      for (ZoneId zone : ZONES) {
        Statistics.Report report = statistics.report(TENANT, from, to, Statistics.Interval.DAY, zone);
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        List<Expected> days = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
          days.add(new Expected());
        }
        Expected total = new Expected();
        for (int h = 0; h < HOURS; h++) {
          Instant hour = YEAR.plus(h, ChronoUnit.HOURS);
          if (!hour.isBefore(start) && hour.isBefore(end)) {
            int day = (int) ChronoUnit.DAYS.between(from, LocalDate.ofInstant(hour, zone));
            days.get(day).add(h);
            total.add(h);
          }
        }
        assertEquals(days.size(), report.intervals().size(), zone.getId());
        for (int i = 0; i < days.size(); i++) {
          days.get(i).check(report.intervals().get(i).figures(), zone + " " + from.plusDays(i));
        }
        total.check(report.total(), zone + " total");
      }
    }
  }

  @Test
  void eachHourOfAReportHoldsTheRollUpHoursThatStartInIt(TestDatabase.Url url) throws SQLException {
    LocalDate day = LocalDate.of(2026, 3, 8);
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      everyHourOf2026(url);
      Statistics statistics = new Statistics(new JdbcStatisticsStore(db));
      for (ZoneId zone : ZONES) {
        Statistics.Report report = statistics.report(TENANT, day, day, Statistics.Interval.HOUR, zone);
        Instant start = day.atStartOfDay(zone).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(zone).toInstant();
        List<Expected> hours = new ArrayList<>();
        report.intervals().forEach(r -> hours.add(new Expected()));
        for (int h = 0; h < HOURS; h++) {
          Instant hour = YEAR.plus(h, ChronoUnit.HOURS);
          if (!hour.isBefore(start) && hour.isBefore(end)) {
            hours.get((int) Duration.between(start, hour).toHours()).add(h);
          }
        }
        for (int i = 0; i < hours.size(); i++) {
          hours.get(i).check(report.intervals().get(i).figures(), zone + " " + report.intervals().get(i).start());
        }
      }
    }
  }

  /**
   * Hour {@code h} of 2026 offers 1 + h mod 7 conversations, handles one, and counts 1 + h mod 3 waits in bucket
   * h mod 50 (a wait of (h mod 50) tenths of a second).
   */
  private static void everyHourOf2026(TestDatabase.Url url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        Statement s = c.createStatement()) {
      s.execute("SET time_zone = '+00:00'");
      assertEquals(HOURS, s.executeUpdate("""
          INSERT INTO stats_hour (hour_start, tenant_id, center_id, queue_id, agent_id, channel, offered, handled,
                                  abandoned, wait_ms, answered_in_target, handle_ms, first_responses,
                                  first_response_ms, transfers, csat_responses, csat_sum)
          SELECT TIMESTAMP('2026-01-01 00:00:00') + INTERVAL seq HOUR, 1, 10, 100, 7, 'web', 1 + seq MOD 7, 1, 0,
                 1000, 1, 1000, 0, 0, 0, 0, 0
          FROM seq_0_to_%d
          """.formatted(HOURS - 1)));
      assertEquals(HOURS, s.executeUpdate("""
          INSERT INTO stats_wait_hour (hour_start, tenant_id, center_id, queue_id, agent_id, channel, bucket, waits)
          SELECT TIMESTAMP('2026-01-01 00:00:00') + INTERVAL seq HOUR, 1, 10, 100, 7, 'web', seq MOD 50,
                 1 + seq MOD 3
          FROM seq_0_to_%d
          """.formatted(HOURS - 1)));
    }
  }

  /** What the hours placed in one interval add up to, by the formulas of {@link #everyHourOf2026}. */
  private static final class Expected {
    long offered;
    final WaitHistogram waits = new WaitHistogram();

    void add(int h) {
      offered += 1 + h % 7;
      waits.add(h % 50, 1 + h % 3);
    }

    void check(Figures figures, String where) {
      assertEquals(offered, figures.offered(), where);
      assertEquals(waits.p90Seconds(), figures.p90WaitSeconds(), where);
    }
  }
}
