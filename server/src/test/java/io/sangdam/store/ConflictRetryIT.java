package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sangdam.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real deadlock on MariaDB: two transactions each lock one row, then ask for the other's. InnoDB
 * rolls one back (error 1213, as Galera does a certification failure); the store runs it again and
 * both complete, each change made exactly once, and {@code sangdam_db_retries_total} counts the repeat.
 */
@ExtendWith(TestDatabase.class)
class ConflictRetryIT {
  private static final Pattern RETRIES = Pattern.compile("(?m)^sangdam_db_retries_total(?:\\{[^}]*})? (\\S+)$");

  private final ExecutorService blocking = Executors.newFixedThreadPool(2, r -> new Thread(r, "blocking"));

  @AfterEach
  void stop() {
    blocking.shutdownNow();
  }

  @Test
  void twoTransactionsLockingTwoRowsInOppositeOrderBothCompleteAfterTheVictimIsRunAgain(TestDatabase.Url url)
      throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (Database db = new Database(url.url(), url.user(), url.password(), 4)) {
      db.migrate();
      db.instrument(meters);
      Sql sql = new Sql(db);
      long first = sql.insert("INSERT INTO tenant (code, name, created_at) VALUES ('first', '', NOW())");
      long second = sql.insert("INSERT INTO tenant (code, name, created_at) VALUES ('second', '', NOW())");
      // Both hold their first row before either asks for its second: a deadlock every time. The
      // victim's repeat finds the latch open and waits only for the winner's commit.
      CountDownLatch bothHoldOne = new CountDownLatch(2);
      AtomicInteger runs = new AtomicInteger();

      CompletableFuture<Void> forward = CompletableFuture.runAsync(
          () -> sql.transaction(c -> mark(c, "a", first, second, bothHoldOne, runs)), blocking);
      CompletableFuture<Void> backward = CompletableFuture.runAsync(
          () -> sql.transaction(c -> mark(c, "b", second, first, bothHoldOne, runs)), blocking);
      CompletableFuture.allOf(forward, backward).get(60, TimeUnit.SECONDS);

      for (long tenant : List.of(first, second)) {
        String name = sql.one("SELECT name FROM tenant WHERE id = ?", rs -> rs.getString(1), tenant).orElseThrow();
        assertTrue(name.equals("ab") || name.equals("ba"), "each transaction's change once, the victim's too: " + name);
      }
      long retries = db.conflicts().retries();
      assertTrue(retries >= 1, "the victim of the deadlock was run again");
      assertEquals(2 + retries, runs.get(), "one run each, and one more per repeat");
      Matcher exposed = RETRIES.matcher(meters.scrape());
      assertTrue(exposed.find(), "sangdam_db_retries_total on /metrics");
      assertEquals(retries, (long) Double.parseDouble(exposed.group(1)));
    }
  }

  /** Appends {@code mark} to one tenant's name, then to the other's: two row locks, in this order. */
  private static Void mark(Connection c, String mark, long firstRow, long secondRow, CountDownLatch bothHoldOne,
      AtomicInteger runs) throws SQLException {
    runs.incrementAndGet();
    Sql.update(c, "UPDATE tenant SET name = CONCAT(name, ?) WHERE id = ?", mark, firstRow);
    bothHoldOne.countDown();
    try {
      if (!bothHoldOne.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other transaction never took its first row");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    Sql.update(c, "UPDATE tenant SET name = CONCAT(name, ?) WHERE id = ?", mark, secondRow);
    return null;
  }
}
