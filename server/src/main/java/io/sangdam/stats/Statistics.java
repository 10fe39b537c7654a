package io.sangdam.stats;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.Fields;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reports over a range of local days in a time zone, per hour or per day. Each interval and the
 * total are summed from hourly roll-ups, the percentile from their counts of waits per bucket ({@link WaitHistogram}):
 * the database adds the hours of each interval up, so what a report reads and holds grows with its intervals, not
 * with the hours or the conversations it counts. Blocks on the database.
 */
public final class Statistics {
  /** The longest range a report covers, in days (a leap year). */
  public static final int MAX_DAYS = 366;

  private final StatisticsStore store;

  public Statistics(StatisticsStore store) {
    this.store = requireNonNull(store, "store");
  }

  public enum Interval { HOUR, DAY }

  /** One interval's start (in the report's zone) and figures. */
  public record Row(ZonedDateTime start, Figures figures) {}

  public record Report(List<Row> intervals, Figures total) {}

  /** The figures of {@code filter} for the local days {@code from} to {@code to}, both included. */
  public Report report(StatisticsStore.Filter filter, LocalDate from, LocalDate to, Interval interval, ZoneId zone) {
    return report(List.of(filter), from, to, interval, zone);
  }

  /**
   * The figures of every filter's conversations added up (the group's: one filter per tenant), as one report:
   * the averages and the percentile over all of them, not averages of averages.
   */
  public Report report(List<StatisticsStore.Filter> filters, LocalDate from, LocalDate to, Interval interval,
      ZoneId zone) {
    List<ZonedDateTime> starts = starts(from, to, interval, zone);
    List<Figures.Tally> tallies = new ArrayList<>();
    starts.forEach(s -> tallies.add(new Figures.Tally()));
    Figures.Tally total = new Figures.Tally();
    StatisticsStore.Range range = new StatisticsStore.Range(starts.get(0).toInstant(),
        to.plusDays(1).atStartOfDay(zone).toInstant(), interval, from, zone);
    for (StatisticsStore.Filter filter : filters) {
      for (StatisticsStore.Totals t : store.totals(filter, range)) {
        tallies.get(t.interval()).add(t);
        total.add(t);
      }
      store.countWaits(filter, range, (i, bucket, waits) -> {
        tallies.get(i).addWaits(bucket, waits);
        total.addWaits(bucket, waits);
      });
    }
    List<Row> rows = new ArrayList<>(starts.size());
    for (int i = 0; i < starts.size(); i++) {
      rows.add(new Row(starts.get(i), tallies.get(i).figures()));
    }
    return new Report(rows, total.figures());
  }

  /**
   * The local start of every interval of the days {@code from} to {@code to} (both included), after checking the
   * range as every report does.
   */
  static List<ZonedDateTime> starts(LocalDate from, LocalDate to, Interval interval, ZoneId zone) {
    checkRange(from, to);
    List<ZonedDateTime> starts = new ArrayList<>();
    ZonedDateTime end = to.plusDays(1).atStartOfDay(zone);
    for (ZonedDateTime t = from.atStartOfDay(zone); t.isBefore(end); t = next(t, interval)) {
      starts.add(t);
    }
    return starts;
  }

  /**
   * The agents' times in each status and away reason in the tenant's centers (or one center, where not
   * null) over the local days {@code from} to {@code to}, both included, up to {@code now}; with its span,
   * the time an agent with no entry here was OFFLINE.
   */
  public record StatusReport(Map<Long, StatusTimes.AgentTimes> agents, long spanSeconds) {}

  public StatusReport statusTimes(long tenantId, Long centerId, LocalDate from, LocalDate to, ZoneId zone,
      Instant now) {
    checkRange(from, to);
    Instant start = from.atStartOfDay(zone).toInstant();
    Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
    Instant counted = end.isAfter(now) ? now : end;
    if (!counted.isAfter(start)) {
      return new StatusReport(Map.of(), 0);
    }
    return new StatusReport(StatusTimes.count(store.statusMillis(tenantId, centerId, start, counted)),
        Math.round(Duration.between(start, counted).toMillis() / 1000.0));
  }

  /** {@code to} not before {@code from}, and within {@value #MAX_DAYS} days of it. */
  private static void checkRange(LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw Fields.invalid("to", "must not be before from");
    }
    if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
      throw Fields.invalid("to", "must be within " + MAX_DAYS + " days of from");
    }
  }

  private static ZonedDateTime next(ZonedDateTime t, Interval interval) {
    return interval == Interval.HOUR ? t.plusHours(1) : t.plusDays(1);
  }

  /** The interval containing {@code at}: the last start not after it. */
  static int index(List<ZonedDateTime> starts, Instant at) {
    int lo = 0;
    int hi = starts.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts.get(mid).toInstant().isAfter(at)) {
        hi = mid - 1;
      } else {
        lo = mid;
      }
    }
    return lo;
  }
}
