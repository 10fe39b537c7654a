package io.sangdam.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.sangdam.testing.CapturedLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  @Test
  void tasksRunOneAtATimeInOrderOnAPoolOfManyThreads() throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      SerialExecutor serial = new SerialExecutor(pool);
      List<Integer> seen = new ArrayList<>();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      int n = 10_000;
      CountDownLatch done = new CountDownLatch(n);
      for (int i = 0; i < n; i++) {
        int value = i;
        serial.execute(() -> {
          if (running.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
          }
          seen.add(value);
          running.decrementAndGet();
          done.countDown();
        });
      }
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals(0, overlaps.get());
      for (int i = 0; i < n; i++) {
        assertEquals(i, seen.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailingTaskDoesNotStopTheOnesAfterIt() throws InterruptedException {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (CapturedLog log = CapturedLog.of(SerialExecutor.class)) {
      SerialExecutor serial = new SerialExecutor(pool);
      CountDownLatch after = new CountDownLatch(1);
      serial.execute(() -> {
        throw new IllegalStateException("boom");
      });
      serial.execute(after::countDown);
      assertTrue(after.await(5, TimeUnit.SECONDS));
      assertEquals(List.of("routing task failed"), log.at(Level.ERROR), "the failure is logged");
    } finally {
      pool.shutdownNow();
    }
  }
}
