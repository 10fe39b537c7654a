package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The web apps' files are known at start; names that are not among them leave nothing behind. */
class StaticFilesTest {
  private final StaticFiles files = new StaticFiles(StaticFilesTest.class.getClassLoader());

  @Test
  void theAppsFilesAndTheChartLibraryAreFoundAndNothingElse() {
    assertTrue(files.find("/shared/index.html").isPresent());
    assertEquals(files.find("/shared/index.html").get(), files.find("/shared/").get(), "a folder is its index.html");
    assertTrue(files.find("/webjars/chart.js/dist/chart.umd.min.js").isPresent());
    assertTrue(files.find("/shared/missing.js").isEmpty());
    assertTrue(files.find("/shared/../../logback-test.xml").isEmpty());
    assertTrue(files.find("/webjars/chart.js/").isEmpty(), "no folder listing or index");
  }

  /** The probe of issue 13: 20,000 distinct missing names of 4 KB each kept 154 MB after GC. */
  @Test
  void twentyThousandDistinctMissingNamesKeepNoMemory() {
    long before = heapAfterGc();
    String padding = "x".repeat(4_000);
    for (int i = 0; i < 20_000; i++) {
      assertTrue(files.find("/shared/" + padding + i + ".js").isEmpty());
    }
    long grown = heapAfterGc() - before;
    assertTrue(grown < 16 * 1024 * 1024, "heap grew by " + grown / 1024 + " KB");
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
