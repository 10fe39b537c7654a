package io.sangdam.search;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the reading of a table by ascending id stands. Ids are handed out before their transaction commits, so one
 * not seen below the highest one read may still come (a transaction still open): such gaps are kept and asked for
 * again until they come or {@code grace} has passed (a rolled-back insert, or a row deleted since). Only gaps near
 * the table's head are kept: far below it no transaction is open, and a gap there is a deleted row.
 */
final class IdTail {
  /** Gaps further than this below the table's head are not waited for. */
  static final long NEAR_HEAD = 10_000;
  private static final int MAX_GAPS = 10_000;

  private final Duration grace;
  private final TreeMap<Long, Instant> gaps = new TreeMap<>();
  private long high;

  IdTail(long start, Duration grace) {
    this.high = start;
    this.grace = grace;
  }

  /** The highest id read. */
  long high() {
    return high;
  }

  /** Every id up to this one has been read or given up: where a restart reads on from. */
  long low() {
    return gaps.isEmpty() ? high : gaps.firstKey() - 1;
  }

  Set<Long> gaps() {
    return Set.copyOf(gaps.keySet());
  }

  /** {@code ids} were read (ascending, above {@link #high} or gaps); {@code head}: the table's highest id now. */
  void read(List<Long> ids, long head, Instant now) {
    for (long id : ids) {
      if (id > high) {
        for (long gap = Math.max(high + 1, head - NEAR_HEAD); gap < id && gaps.size() < MAX_GAPS; gap++) {
          gaps.put(gap, now);
        }
        high = id;
      } else {
        gaps.remove(id);
      }
    }
  }

  /** Gives up the gaps older than the grace. */
  void expire(Instant now) {
    gaps.values().removeIf(seen -> seen.plus(grace).isBefore(now));
  }
}
