package io.sangdam.search;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the reading of a table by ascending id stands. Ids are handed out before their transaction commits, so one
 * not seen below the highest one read may still come (a transaction still open): such gaps are kept and asked for
 * again until they come or {@code grace} has passed (a rolled-back insert, a row deleted since, an id an {@code INSERT
 * IGNORE} or Galera's auto-increment step passed over). A gap is a range, however wide: a jump of a million ids costs
 * what a jump of one does. At most {@link #MAX_GAPS} are kept; past it the oldest are given up first, and counted.
 */
final class IdTail {
  /** The most gaps kept (a few MB). */
  static final int MAX_GAPS = 100_000;
  /** The most gaps {@link #gaps} names at once; the next call names the following ones, round the tail. */
  static final int ASKED = 1_000;

  /** A gap's last id, and when it was first seen (in milliseconds). */
  private record Gap(long last, long seen) {}

  private final Duration grace;
  /** Gaps by their first id. */
  private final TreeMap<Long, Gap> gaps = new TreeMap<>();
  private long high;
  /** The first id of the last gap {@link #gaps} named. */
  private long askedUpTo;
  private long givenUp;

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

  /**
   * At most {@link #ASKED} gaps to ask for, those after the ones named last time (then from the lowest again), so
   * that every gap is asked for within a few calls however many there are.
   */
  List<MessageFeed.IdRange> gaps() {
    List<MessageFeed.IdRange> asked = new ArrayList<>(Math.min(gaps.size(), ASKED));
    for (Map.Entry<Long, Gap> g : gaps.tailMap(askedUpTo, false).entrySet()) {
      if (asked.size() == ASKED) {
        break;
      }
      asked.add(new MessageFeed.IdRange(g.getKey(), g.getValue().last()));
    }
    for (Map.Entry<Long, Gap> g : gaps.headMap(askedUpTo, true).entrySet()) {
      if (asked.size() == ASKED) {
        break;
      }
      asked.add(new MessageFeed.IdRange(g.getKey(), g.getValue().last()));
    }
    askedUpTo = asked.isEmpty() ? 0 : asked.get(asked.size() - 1).first();
    return asked;
  }

  /** How many gaps there are now. */
  int gapCount() {
    return gaps.size();
  }

  /** {@code ids} were read (ascending, above {@link #high} or in gaps). */
  void read(List<Long> ids, Instant now) {
    for (long id : ids) {
      if (id > high) {
        if (id > high + 1) {
          gaps.put(high + 1, new Gap(id - 1, now.toEpochMilli()));
        }
        high = id;
      } else {
        Map.Entry<Long, Gap> in = gaps.floorEntry(id);
        if (in != null && in.getValue().last() >= id) {
          gaps.remove(in.getKey());
          if (in.getKey() < id) {
            gaps.put(in.getKey(), new Gap(id - 1, in.getValue().seen()));
          }
          if (id < in.getValue().last()) {
            gaps.put(id + 1, in.getValue());
          }
        }
      }
    }
    while (gaps.size() > MAX_GAPS) {
      // The lowest gap is the oldest but for pieces of split ones: nearest to its end in any case.
      gaps.pollFirstEntry();
      givenUp++;
    }
  }

  /** Gives up the gaps older than the grace. */
  void expire(Instant now) {
    long before = now.minus(grace).toEpochMilli();
    gaps.values().removeIf(g -> g.seen() < before);
  }

  /** The gaps given up for room since the last call (not for their age): ids that may never be read. */
  long takeGivenUp() {
    long count = givenUp;
    givenUp = 0;
    return count;
  }
}
