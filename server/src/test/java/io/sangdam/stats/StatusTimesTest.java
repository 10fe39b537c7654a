package io.sangdam.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.stats.StatisticsStore.StatusMillis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each agent's times in each status and away reason, added up from the database's sums, rounded once. */
class StatusTimesTest {
  @Test
  void eachAgentsSumsAreRoundedToTheSecondOnceAndUnknownStatusesCountAsOffline() {
    Map<Long, StatusTimes.AgentTimes> times = StatusTimes.count(List.of(
        new StatusMillis(7, "ONLINE", null, 60_400),
        new StatusMillis(7, "AWAY", "meal", 100_400),
        new StatusMillis(7, "AWAY", "break", 30_400),
        new StatusMillis(7, "AWAY", null, 10_800),
        new StatusMillis(7, "OFFLINE", null, 99_000),
        new StatusMillis(7, "RETIRED", null, 1_000),
        new StatusMillis(8, "ONLINE", null, 499)));

    // Away in all: 141.6 s, rounded from the sum, not a sum of the rounded parts (141 s).
    assertEquals(new StatusTimes.AgentTimes(7, 60, 142, Map.of("meal", 100L, "break", 30L), 11, 100), times.get(7L));
    assertEquals(new StatusTimes.AgentTimes(8, 0, 0, Map.of(), 0, 0), times.get(8L));
    assertEquals(2, times.size());
  }
}
