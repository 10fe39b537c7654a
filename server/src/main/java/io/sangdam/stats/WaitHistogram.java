package io.sangdam.stats;

import java.util.Arrays;

/**
 * Waits counted in fixed buckets, so that the roll-ups keep a count per bucket and any range's percentile is read from
 * summed counts instead of every wait. Buckets are tenths of a second (the precision figures are shown in) below
 * {@value #LINEAR_TENTHS} tenths, 102.4 s: a percentile there is exactly what it would be over the waits themselves,
 * shown to the tenth. Beyond, {@value #PER_DOUBLING} buckets per doubling, each shown as its middle: within 1.6 % of the
 * wait. Waits from about 38 days on share the last bucket.
 *
 * <p>Holds only the buckets it has counts in, in order: at most {@link #BUCKETS} however many waits it counts.
 */
public final class WaitHistogram {
  /** Below this many tenths of a second, a bucket is one tenth. */
  static final int LINEAR_TENTHS = 1024;
  static final int PER_DOUBLING = 32;
  /** log2 of {@link #LINEAR_TENTHS} and of {@link #PER_DOUBLING}. */
  private static final int LINEAR_BITS = 10;
  private static final int SUB_BITS = 5;
  /** The longest wait with a bucket of its own, in tenths (about 38.8 days); longer ones are counted in the last. */
  private static final long MAX_TENTHS = (1L << 25) - 1;
  /** How many buckets there are: the linear ones, then {@link #PER_DOUBLING} for each doubling up to 2^25 tenths. */
  public static final int BUCKETS = LINEAR_TENTHS + (25 - LINEAR_BITS) * PER_DOUBLING;

  private int[] buckets = new int[4];
  private long[] counts = new long[4];
  private int size;
  private long total;

  /** The bucket of a wait of {@code waitMs} milliseconds (negative ones count as none). */
  public static int bucket(long waitMs) {
    long tenths = (Math.min(Math.max(0, waitMs), MAX_TENTHS * 100) + 50) / 100;
    if (tenths < LINEAR_TENTHS) {
      return (int) tenths;
    }
    int doubling = 63 - Long.numberOfLeadingZeros(tenths);
    long sub = (tenths >> (doubling - SUB_BITS)) - PER_DOUBLING;
    return LINEAR_TENTHS + (doubling - LINEAR_BITS) * PER_DOUBLING + (int) sub;
  }

  /** The wait a bucket stands for, in seconds: its tenth, or beyond the linear ones the middle of its span. */
  static double seconds(int bucket) {
    if (bucket < LINEAR_TENTHS) {
      return bucket / 10.0;
    }
    int doubling = (bucket - LINEAR_TENTHS) / PER_DOUBLING + LINEAR_BITS;
    long sub = (bucket - LINEAR_TENTHS) % PER_DOUBLING;
    long width = 1L << (doubling - SUB_BITS);
    long low = (PER_DOUBLING + sub) * width;
    return (low + (width - 1) / 2.0) / 10.0;
  }

  /** Counts {@code waits} more waits in {@code bucket}. */
  public void add(int bucket, long waits) {
    if (bucket < 0 || bucket >= BUCKETS) {
      throw new IllegalArgumentException("no bucket " + bucket);
    }
    if (waits <= 0) {
      return;
    }
    int at = Arrays.binarySearch(buckets, 0, size, bucket);
    if (at < 0) {
      at = -at - 1;
      if (size == buckets.length) {
        buckets = Arrays.copyOf(buckets, Math.min(BUCKETS, size * 2));
        counts = Arrays.copyOf(counts, buckets.length);
      }
      System.arraycopy(buckets, at, buckets, at + 1, size - at);
      System.arraycopy(counts, at, counts, at + 1, size - at);
      buckets[at] = bucket;
      counts[at] = 0;
      size++;
    }
    counts[at] += waits;
    total += waits;
  }

  /** Adds another histogram's counts to this one's: the histogram of both ranges' waits. */
  public void add(WaitHistogram other) {
    for (int i = 0; i < other.size; i++) {
      add(other.buckets[i], other.counts[i]);
    }
  }

  /** How many waits are counted. */
  public long count() {
    return total;
  }

  /** How many buckets hold counts: what this histogram's size grows with. */
  int bucketsHeld() {
    return size;
  }

  /**
   * The nearest-rank 90th percentile in seconds (the wait of the ⌈0.9 n⌉-th shortest, as its bucket stands for it), or
   * null with nothing counted.
   */
  public Double p90Seconds() {
    if (total == 0) {
      return null;
    }
    long rank = (9 * total + 9) / 10;
    long seen = 0;
    for (int i = 0; i < size; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return seconds(buckets[i]);
      }
    }
    throw new IllegalStateException("counts do not add up to " + total);
  }
}
