package io.sangdam.bench.load;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The stop-the-world collections of a JVM so far, how many and their time in all: two of them, before and after a
 * window, give the window's pauses, which an open-loop latency's tail follows (every message due during a pause
 * waits it out).
 */
record GcPauses(long count, double seconds) {
  /** The server's, from its metrics: Micrometer's {@code jvm.gc.pause}, every collector and cause. */
  static GcPauses ofServer(Scrape metrics) {
    return new GcPauses(Math.round(metrics.value("jvm_gc_pause_seconds_count")),
        metrics.value("jvm_gc_pause_seconds_sum"));
  }

  /**
   * This JVM's (the client's), from its collectors' beans; the beans of concurrent cycles (ZGC's and Shenandoah's
   * {@code Cycles}, G1's {@code Concurrent GC}) time work done beside the application, not pauses, and are left out.
   */
  static GcPauses ofThisJvm() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc.getName().endsWith("Cycles") || gc.getName().endsWith("Concurrent GC")) {
        continue;
      }
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new GcPauses(count, millis / 1e3);
  }

  GcPauses since(GcPauses before) {
    return new GcPauses(count - before.count, seconds - before.seconds);
  }

  /** "12, 340 ms in all (0.6 % of the time), 28.3 ms each": {@code windowSeconds} is the time they were taken over. */
  String summary(double windowSeconds) {
    return String.format(Locale.ROOT, "%d, %.0f ms in all (%.1f %% of the time), %.1f ms each", count,
        seconds * 1e3, seconds * 100 / windowSeconds, count == 0 ? 0 : seconds * 1e3 / count);
  }
}
