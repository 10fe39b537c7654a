package io.sangdam.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A run's key is the start of the slot its tick falls in: every node's tick in one slot names the same run. */
class RetentionJobTest {
  private static RetentionJob every(Duration every) {
    return new RetentionJob(null, null, null, Clock.systemUTC(), "node-a", every);
  }

  @Test
  void ticksInOneSlotShareItsKeyAndTheNextSlotHasAnother() {
    RetentionJob hourly = every(Duration.ofHours(1));
    assertEquals("2026-12-03T08:00:00Z", hourly.runKey(Instant.parse("2026-12-03T08:00:00Z")));
    assertEquals("2026-12-03T08:00:00Z", hourly.runKey(Instant.parse("2026-12-03T08:59:59.999Z")));
    assertNotEquals(hourly.runKey(Instant.parse("2026-12-03T08:59:59Z")),
        hourly.runKey(Instant.parse("2026-12-03T09:00:00Z")));
    assertEquals("2026-12-03T00:00:00Z", every(Duration.ofDays(1)).runKey(Instant.parse("2026-12-03T23:30:00Z")));
  }

  @Test
  void countsAddUpAndReadInTheAuditLogsWords() {
    Erased a = new Erased(1, 10, 2, 1, 0, 4);
    assertEquals(new Erased(2, 13, 2, 3, 1, 5), a.plus(new Erased(1, 3, 0, 2, 1, 1)));
    assertEquals("conversations=1 messages=10 attachments=2 files=1 customers=0 deliveries=4", a.detail());
  }
}
