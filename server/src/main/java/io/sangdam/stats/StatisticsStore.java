package io.sangdam.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the roll-ups. Implemented in {@code store}; methods block. */
public interface StatisticsStore {
  /** The summed roll-ups of each interval of {@code range} that has any, in order. */
  List<Totals> totals(Filter filter, Range range);

  /**
   * Counts into {@code waits} the waits of the handled conversations created in {@code range}, per interval and
   * {@link WaitHistogram} bucket (each pair once), in order of interval.
   */
  void countWaits(Filter filter, Range range, WaitCounts waits);

  /** Where {@link #countWaits} counts: called once per interval and bucket, with no object made per call. */
  @FunctionalInterface
  interface WaitCounts {
    void add(int interval, int bucket, long waits);
  }

  /**
   * A report's range {@code [start, end)} cut into its intervals, numbered from 0: hours on the timeline from
   * {@code start}, or the local days of {@code zone} from {@code firstDay}. The roll-ups are kept per UTC hour; an
   * hour counts in the interval its start falls in.
   */
  record Range(Instant start, Instant end, Statistics.Interval interval, LocalDate firstDay, ZoneId zone) {
    /** The zone's offsets over the range, in order: each in effect from its instant (the first from the start) on. */
    public List<Offset> offsets() {
      ZoneRules rules = zone.getRules();
      List<Offset> offsets = new ArrayList<>();
      offsets.add(new Offset(start, rules.getOffset(start).getTotalSeconds()));
      for (ZoneOffsetTransition t = rules.nextTransition(start); t != null && t.getInstant().isBefore(end);
          t = rules.nextTransition(t.getInstant())) {
        offsets.add(new Offset(t.getInstant(), t.getOffsetAfter().getTotalSeconds()));
      }
      return offsets;
    }
  }

  /** From {@code from} on, local time is UTC plus {@code seconds}. */
  record Offset(Instant from, int seconds) {}

  /** A tenant's roll-ups since {@code from}, summed per center and UTC hour: what the dashboard's "today" adds up. */
  List<CenterHour> centerHours(long tenantId, Instant from);

  /**
   * How long agents were in each status and reason within {@code [from, to)}, added up from the changes of their
   * statuses in the tenant's centers (or the one center, where not null): each change holds until the agent's next one
   * there (the last until {@code to}), the last before {@code from} from {@code from} on; before their first change an
   * agent is OFFLINE. One entry per agent, status and reason with any time, for every agent with a change before
   * {@code to}.
   */
  List<StatusMillis> statusMillis(long tenantId, Long centerId, Instant from, Instant to);

  /** The agent was {@code millis} ms in {@code status} (ONLINE, AWAY, OFFLINE) with {@code reason} (AWAY only, or null). */
  record StatusMillis(long agentId, String status, String reason, long millis) {}

  /**
   * What to count: a tenant's conversations, narrowed to a center, a queue and an agent where not null,
   * and to the conversations of the {@code channels} named ({@code web} and channel codes) where not null
   * (an empty set counts nothing).
   */
  record Filter(long tenantId, Long centerId, Long queueId, Long agentId, Set<String> channels) {
    public Filter {
      channels = channels == null ? null : Set.copyOf(channels);
    }
  }

  /** The sums of one interval of a {@link Range}; times in milliseconds. */
  record Totals(int interval, long offered, long handled, long abandoned, long waitMs, long answeredInTarget,
      long handleMs, long firstResponses, long firstResponseMs, long transfers, long csatResponses, long csatSum) {}

  record CenterHour(long centerId, Instant hour, long offered, long handled, long abandoned, long answeredInTarget) {}
}
