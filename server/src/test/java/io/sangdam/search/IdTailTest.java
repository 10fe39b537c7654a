package io.sangdam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading by ascending id: gaps near the head are waited for a while, and a restart reads on from below them. */
class IdTailTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void aGapNearTheHeadIsAskedForUntilItComesOrTheGraceRunsOut() {
    IdTail tail = new IdTail(10, Duration.ofSeconds(60));
    tail.read(List.of(11L, 14L), 14, T0);
    assertEquals(14, tail.high());
    assertEquals(Set.of(12L, 13L), tail.gaps());
    assertEquals(11, tail.low(), "a restart reads on from below the first gap");

    tail.read(List.of(12L), 14, T0.plusSeconds(1));
    assertEquals(Set.of(13L), tail.gaps());
    assertEquals(12, tail.low());

    tail.expire(T0.plusSeconds(60));
    assertEquals(Set.of(13L), tail.gaps(), "still within the grace");
    tail.expire(T0.plusSeconds(61));
    assertEquals(Set.of(), tail.gaps(), "given up: a rolled-back insert");
    assertEquals(14, tail.low());
  }

  @Test
  void gapsFarBelowTheHeadAreDeletedRowsAndNotWaitedFor() {
    IdTail tail = new IdTail(0, Duration.ofSeconds(60));
    tail.read(List.of(1L, 5_000L), 50_000, T0);
    assertEquals(Set.of(), tail.gaps(), "more than NEAR_HEAD below the head");
    tail.read(List.of(49_998L, 50_000L), 50_000, T0);
    assertEquals(IdTail.NEAR_HEAD - 1, tail.gaps().size(), "40,000 to 49,997 and 49,999");
    assertTrue(tail.gaps().contains(40_000L) && tail.gaps().contains(49_999L) && !tail.gaps().contains(39_999L));
  }
}
