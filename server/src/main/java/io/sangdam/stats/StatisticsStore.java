package io.sangdam.stats;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Reads the roll-ups. Implemented in {@code store}; methods block. */
public interface StatisticsStore {
  /** The summed roll-ups of each UTC hour in {@code [from, to)} that has any, in order. */
  List<HourTotals> hours(Filter filter, Instant from, Instant to);

  /**
   * The waits of the handled conversations created in {@code [from, to)}, counted per UTC hour and
   * {@link WaitHistogram} bucket (each pair once), in order of hour.
   */
  List<WaitCount> waitCounts(Filter filter, Instant from, Instant to);

  /** A tenant's roll-ups since {@code from}, summed per center and UTC hour: what the dashboard's "today" adds up. */
  List<CenterHour> centerHours(long tenantId, Instant from);

  /**
   * The changes of agents' statuses in the tenant's centers (or the one center, where not null): each one
   * in {@code [from, to)}, and before them, per agent, the last one before {@code from} (the status they
   * were in at {@code from}); in order of time.
   */
  List<StatusChange> statusChanges(long tenantId, Long centerId, Instant from, Instant to);

  /** From {@code at} on the agent was in {@code status} (ONLINE, AWAY, OFFLINE) with {@code reason} (AWAY only, or null). */
  record StatusChange(long agentId, String status, String reason, Instant at) {}

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

  /** The sums of one hour; times in milliseconds. */
  record HourTotals(Instant hour, long offered, long handled, long abandoned, long waitMs, long answeredInTarget,
      long handleMs, long firstResponses, long firstResponseMs, long transfers, long csatResponses, long csatSum) {}

  record CenterHour(long centerId, Instant hour, long offered, long handled, long abandoned, long answeredInTarget) {}

  record WaitCount(Instant hour, int bucket, long waits) {}
}
