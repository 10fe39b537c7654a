package io.sangdam.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Reading by ascending id: gaps are waited for a while, however wide, and a restart reads on from below them. */
class IdTailTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  private static MessageFeed.IdRange range(long first, long last) {
    return new MessageFeed.IdRange(first, last);
  }

  @Test
  void aGapIsAskedForUntilItComesOrTheGraceRunsOut() {
    IdTail tail = new IdTail(10, Duration.ofSeconds(60));
    tail.read(List.of(11L, 14L), T0);
    assertEquals(14, tail.high());
    assertEquals(List.of(range(12, 13)), tail.gaps());
    assertEquals(11, tail.low(), "a restart reads on from below the first gap");

    tail.read(List.of(12L), T0.plusSeconds(1));
    assertEquals(List.of(range(13, 13)), tail.gaps());
    assertEquals(12, tail.low());

    tail.expire(T0.plusSeconds(60));
    assertEquals(List.of(range(13, 13)), tail.gaps(), "still within the grace");
    tail.expire(T0.plusSeconds(61));
    assertEquals(List.of(), tail.gaps(), "given up: a rolled-back insert");
    assertEquals(14, tail.low());
  }

  /** Galera's auto-increment step, or INSERT IGNOREs, can pass over many ids at once: one range, waited for. */
  @Test
  void aWideGapIsOneRangeAndAnIdReadInItSplitsIt() {
    IdTail tail = new IdTail(0, Duration.ofSeconds(60));
    tail.read(List.of(1L, 1_000_001L), T0);
    assertEquals(List.of(range(2, 1_000_000)), tail.gaps(), "not given up for being far below the head");
    tail.read(List.of(5L, 999_999L), T0.plusSeconds(1));
    assertEquals(Set.of(range(2, 4), range(6, 999_998), range(1_000_000, 1_000_000)), Set.copyOf(tail.gaps()));
    tail.read(List.of(2L, 3L, 4L), T0.plusSeconds(2));
    assertEquals(5, tail.low());
    assertEquals(0, tail.takeGivenUp());
  }

  /** Many gaps are named a thousand at a time, round the tail; past the bound the oldest are given up, counted. */
  @Test
  void gapsAreAskedForInTurnsAndBoundedInNumber() {
    IdTail tail = new IdTail(0, Duration.ofSeconds(60));
    tail.read(LongStream.rangeClosed(1, 2_500).map(i -> 2 * i).boxed().toList(), T0);
    assertEquals(2_500, tail.gapCount(), "1, 3, 5, ... 4,999");
    List<MessageFeed.IdRange> asked = new ArrayList<>();
    asked.addAll(tail.gaps());
    asked.addAll(tail.gaps());
    asked.addAll(tail.gaps());
    assertEquals(3 * IdTail.ASKED, asked.size(), "1,000, 1,000, then the 500 left and 500 from the start");
    assertEquals(range(1, 1), asked.get(0));
    assertEquals(range(4_999, 4_999), asked.get(2_499));
    assertEquals(range(1, 1), asked.get(2_500), "round again");

    tail.read(LongStream.rangeClosed(2_501, 2_500 + IdTail.MAX_GAPS).map(i -> 2 * i).boxed().toList(),
        T0.plusSeconds(1));
    assertEquals(IdTail.MAX_GAPS, tail.gapCount());
    assertEquals(2_500, tail.takeGivenUp(), "the oldest 2,500 gave way");
    assertEquals(0, tail.takeGivenUp());
    assertEquals(5_000, tail.low(), "below the first gap kept: 5,001");
  }
}
