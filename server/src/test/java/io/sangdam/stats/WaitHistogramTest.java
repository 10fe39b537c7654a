package io.sangdam.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WaitHistogramTest {
  @Test
  void anEmptyHistogramHasNoPercentile() {
    WaitHistogram empty = new WaitHistogram();
    assertNull(empty.p90Seconds());
    assertEquals(0, empty.count());
    empty.add(new WaitHistogram());
    empty.add(5, 0);
    assertNull(empty.p90Seconds(), "adding nothing counts nothing");
  }

  @Test
  void bucketsAreTenthsOfASecondBelow102Point4SecondsRoundedAsFiguresAreShown() {
    assertEquals(0, WaitHistogram.bucket(0));
    assertEquals(0, WaitHistogram.bucket(-3_000), "a negative wait counts as none");
    assertEquals(0, WaitHistogram.bucket(49));
    assertEquals(1, WaitHistogram.bucket(50));
    assertEquals(300, WaitHistogram.bucket(30_000));
    assertEquals(300, WaitHistogram.bucket(30_049));
    assertEquals(1023, WaitHistogram.bucket(102_349));
    assertEquals(1024, WaitHistogram.bucket(102_350), "the first of the doubling buckets");
    assertEquals(102.3, WaitHistogram.seconds(1023));
    assertEquals(30.0, WaitHistogram.seconds(300));
  }

  @Test
  void beyondTheTenthsEachBucketStandsWithin1Point6PercentOfItsWaits() {
    int previous = 0;
    for (long ms = 102_350; ms < 3_355_443_200L; ms += Math.max(1, ms / 2_000)) {
      int bucket = WaitHistogram.bucket(ms);
      assertTrue(bucket >= previous, "buckets follow the waits' order at " + ms);
      previous = bucket;
      double error = Math.abs(WaitHistogram.seconds(bucket) - ms / 1000.0);
      assertTrue(error <= 0.016 * ms / 1000.0 + 0.05, ms + " ms stood for by " + WaitHistogram.seconds(bucket));
    }
    assertEquals(WaitHistogram.BUCKETS - 1, previous, "the longest waits reach the last bucket");
  }

  @Test
  void theLongestWaitsShareTheLastBucket() {
    assertEquals(WaitHistogram.BUCKETS - 1, WaitHistogram.bucket(Long.MAX_VALUE));
    assertEquals(WaitHistogram.BUCKETS - 1, WaitHistogram.bucket(3_355_443_200L));
    assertTrue(WaitHistogram.bucket(Integer.MAX_VALUE) < WaitHistogram.BUCKETS);
  }

  @Test
  void p90IsTheNearestRankWaitAtItsEdges() {
    assertEquals(7.0, histogramOf(7_000).p90Seconds(), "one wait: that one");
    assertEquals(9.0, histogramOf(1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 10_000).p90Seconds(),
        "ten waits: the 9th");
    assertEquals(10.0, histogramOf(1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000, 10_000, 11_000)
        .p90Seconds(), "eleven waits: the 10th (rank 9.9 rounded up)");
    assertEquals(30.0, histogramOf(30_000, 20_000, 0).p90Seconds(), "three waits: the longest");
    assertEquals(0.0, histogramOf(0, 0, 0).p90Seconds());
    assertEquals(WaitHistogram.seconds(WaitHistogram.BUCKETS - 1), histogramOf(Long.MAX_VALUE).p90Seconds());
  }

  @Test
  void belowTheDoublingBucketsP90IsWhatTheWaitsThemselvesGiveToTheTenth() {
    Random random = new Random(20);
    for (int round = 0; round < 200; round++) {
      int n = 1 + random.nextInt(300);
      List<Long> waits = new ArrayList<>();
      WaitHistogram histogram = new WaitHistogram();
      for (int i = 0; i < n; i++) {
        long ms = random.nextInt(102_350);
        waits.add(ms);
        histogram.add(WaitHistogram.bucket(ms), 1);
      }
      Collections.sort(waits);
      long nearestRank = waits.get((int) ((9L * n + 9) / 10) - 1);
      assertEquals(Math.round(nearestRank / 100.0) / 10.0, histogram.p90Seconds(), "waits " + waits);
    }
  }

  @Test
  void mergedHistogramsAreTheHistogramOfAllTheirWaits() {
    Random random = new Random(5);
    WaitHistogram all = new WaitHistogram();
    WaitHistogram morning = new WaitHistogram();
    WaitHistogram evening = new WaitHistogram();
    for (int i = 0; i < 5_000; i++) {
      long ms = (long) Math.exp(random.nextDouble() * 16);
      all.add(WaitHistogram.bucket(ms), 1);
      (i % 3 == 0 ? morning : evening).add(WaitHistogram.bucket(ms), 1);
    }
    WaitHistogram merged = new WaitHistogram();
    merged.add(evening);
    merged.add(morning);
    assertEquals(all.count(), merged.count());
    assertEquals(all.p90Seconds(), merged.p90Seconds());
    assertEquals(all.bucketsHeld(), merged.bucketsHeld());
    WaitHistogram other = new WaitHistogram();
    other.add(morning);
    other.add(evening);
    assertEquals(merged.p90Seconds(), other.p90Seconds(), "in either order");
  }

  @Test
  void whatAHistogramHoldsIsBoundedByItsBucketsNotItsWaits() {
    WaitHistogram histogram = new WaitHistogram();
    // Steps finer than any bucket, so every bucket is reached; a hundred waits each.
    for (long ms = 0; ms < 4_000_000_000L; ms += Math.max(100, ms / 1_000)) {
      histogram.add(WaitHistogram.bucket(ms), 100);
    }
    assertTrue(histogram.count() > 1_000_000);
    assertEquals(WaitHistogram.BUCKETS, histogram.bucketsHeld(), "a million waits, one count per bucket");
  }

  @Test
  void aBucketOutsideTheHistogramIsRefused() {
    WaitHistogram histogram = new WaitHistogram();
    assertThrows(IllegalArgumentException.class, () -> histogram.add(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> histogram.add(WaitHistogram.BUCKETS, 1));
    assertNull(histogram.p90Seconds(), "nothing counted by a refused add");
  }

  private static WaitHistogram histogramOf(long... waitsMs) {
    WaitHistogram histogram = new WaitHistogram();
    for (long ms : waitsMs) {
      histogram.add(WaitHistogram.bucket(ms), 1);
    }
    return histogram;
  }
}
