package io.sangdam.presence;

import io.sangdam.stats.StatisticsStore;
import java.time.Instant;
import java.util.List;

/** A history with nothing in it yet: the dashboard shows live figures only. */
final class NoStatistics implements StatisticsStore {
  @Override
  public List<Totals> totals(Filter filter, Range range) {
    return List.of();
  }

  @Override
  public void countWaits(Filter filter, Range range, WaitCounts waits) {
  }

  @Override
  public List<StatusMillis> statusMillis(long tenantId, Long centerId, Instant from, Instant to) {
    return List.of();
  }

  @Override
  public List<CenterHour> centerHours(long tenantId, Instant from) {
    return List.of();
  }
}
