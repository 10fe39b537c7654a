package io.sangdam.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.stats.StatisticsStore.StatusChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Time in each status and away reason: each change holds until the next, clipped to the range. */
class StatusTimesTest {
  private static final Instant FROM = Instant.parse("2026-11-02T00:00:00Z");

  private static Instant at(long seconds) {
    return FROM.plusSeconds(seconds);
  }

  @Test
  void aChangeBeforeTheRangeCountsFromItsStartAndTheLastHoldsToItsEnd() {
    Map<Long, StatusTimes.AgentTimes> times = StatusTimes.count(List.of(
        new StatusChange(7, "AWAY", "meal", at(-600)),
        new StatusChange(7, "ONLINE", null, at(100)),
        new StatusChange(7, "AWAY", null, at(160)),
        new StatusChange(7, "AWAY", "break", at(170)),
        new StatusChange(7, "OFFLINE", null, at(200))), FROM, at(300));

    assertEquals(new StatusTimes.AgentTimes(7, 60, 140, Map.of("meal", 100L, "break", 30L), 10, 100), times.get(7L));
  }

  @Test
  void beforeTheirFirstChangeAnAgentIsOfflineAndChangesAfterTheEndCountNothing() {
    Map<Long, StatusTimes.AgentTimes> times = StatusTimes.count(List.of(
        new StatusChange(8, "ONLINE", null, at(50)),
        new StatusChange(9, "ONLINE", null, at(10)),
        new StatusChange(8, "AWAY", "meal", at(500))), FROM, at(100));

    assertEquals(new StatusTimes.AgentTimes(8, 50, 0, Map.of(), 0, 50), times.get(8L));
    assertEquals(90, times.get(9L).onlineSeconds());
    assertEquals(10, times.get(9L).offlineSeconds());
  }
}
