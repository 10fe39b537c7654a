package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.threads.HotThreads;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransactionRollbackException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A transaction rolled back on a conflict (a deadlock, or Galera's certification failure: error
 * 1213, SQLState 40001) is run again whole, a bounded number of times, after short random pauses,
 * and counted; other failures, and failures on hot threads, go up at once. On a fake pool whose
 * commits fail as told; the pauses are recorded, not waited.
 */
class ConflictRetryTest {
  /** How Galera answers a write set that lost certification (and InnoDB a deadlock victim). */
  private static SQLException conflict() {
    return new SQLTransactionRollbackException(
        "Deadlock found when trying to get lock; try restarting transaction", "40001", ConflictRetry.DEADLOCK);
  }

  private final List<Long> pauses = new ArrayList<>();
  /** The random part of each pause: its largest, so the bounds are checked at their edge. */
  private final ConflictRetry conflicts = new ConflictRetry(pauses::add, bound -> bound - 1);
  private final FakePool pool = new FakePool();
  private final Sql sql = new Sql(pool.dataSource(), 0, conflicts);
  private final ExecutorService routing = Executors.newSingleThreadExecutor(HotThreads.named("routing"));

  @AfterEach
  void stop() {
    routing.shutdownNow();
  }

  @Test
  void aTransactionRolledBackOnAConflictIsRunAgainWholeUntilItCommits() {
    pool.failingCommits(conflict(), conflict());
    AtomicInteger runs = new AtomicInteger();

    int result = sql.transaction(c -> {
      Sql.update(c, "UPDATE conversation SET priority = 1 WHERE id = ?", 7);
      return runs.incrementAndGet();
    });

    assertEquals(3, result, "the third run committed");
    assertEquals(3, runs.get());
    assertEquals(1, pool.commits.get());
    assertEquals(2, pool.rollbacks.get(), "each failed run rolled back");
    assertEquals(3, pool.connections.get(), "each run on a connection of its own, given back");
    assertEquals(0, pool.open.get());
    assertEquals(2, conflicts.retries());
    assertEquals(List.of(10L, 20L), pauses, "at most 10 ms, then 20: short, and doubling");
  }

  @Test
  void theRandomPausesStayWithinTheirBounds() {
    List<Long> shortest = new ArrayList<>();
    ConflictRetry noRandom = new ConflictRetry(shortest::add, bound -> 0);
    FakePool failing = new FakePool();
    failing.failingCommits(conflict(), conflict(), conflict(), conflict());

    assertThrows(StoreException.class, () -> new Sql(failing.dataSource(), 0, noRandom).transaction(c -> 1));

    assertEquals(List.of(5L, 10L, 20L), shortest, "at least half of each bound");
  }

  @Test
  void aConflictThatKeepsComingGoesUpAfterTheLastAttempt() {
    SQLException last = conflict();
    pool.failingCommits(conflict(), conflict(), conflict(), last, conflict());
    AtomicInteger runs = new AtomicInteger();

    StoreException e = assertThrows(StoreException.class, () -> sql.transaction(c -> runs.incrementAndGet()));

    assertSame(last, e.getCause(), "the last conflict, for the log");
    assertEquals(ConflictRetry.ATTEMPTS, runs.get());
    assertEquals(ConflictRetry.ATTEMPTS - 1, conflicts.retries());
    assertEquals(0, pool.commits.get());
    assertEquals(ConflictRetry.ATTEMPTS, pool.rollbacks.get());
  }

  @Test
  void aBatchWhoseStatementConflictedIsRunAgainToo() {
    SQLException batch = new BatchUpdateException("batch failed", "HY000", 0, new int[0], conflict());
    pool.failingCommits(batch);

    assertEquals("stored", sql.transaction(c -> "stored"));
    assertEquals(1, conflicts.retries());
  }

  @Test
  void aSingleStatementRolledBackOnAConflictIsRunAgain() {
    AtomicInteger runs = new AtomicInteger();

    long rows = sql.run(c -> {
      if (runs.incrementAndGet() == 1) {
        throw conflict();
      }
      return 1L;
    });

    assertEquals(1L, rows);
    assertEquals(2, runs.get());
    assertEquals(1, conflicts.retries());
  }

  @Test
  void otherFailuresAreNotRunAgain() {
    SQLException duplicate = new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", Sql.DUPLICATE_KEY);
    pool.failingCommits(duplicate);
    AtomicInteger runs = new AtomicInteger();

    StoreException e = assertThrows(StoreException.class, () -> sql.transaction(c -> runs.incrementAndGet()));

    assertSame(duplicate, e.getCause());
    assertEquals(1, runs.get());
    assertEquals(0, conflicts.retries());
    assertEquals(List.of(), pauses);
  }

  @Test
  void aRuntimeFailureOfTheWorkIsNotRunAgain() {
    AtomicInteger runs = new AtomicInteger();

    assertThrows(WriteFence.Fenced.class, () -> sql.transaction(c -> {
      runs.incrementAndGet();
      throw new WriteFence.Fenced();
    }));

    assertEquals(1, runs.get());
    assertEquals(1, pool.rollbacks.get());
  }

  @Test
  void onAHotThreadAConflictGoesUpAtOnceWithoutPausing() {
    pool.failingCommits(conflict());
    AtomicInteger runs = new AtomicInteger();

    CompletableFuture<Integer> done = CompletableFuture.supplyAsync(
        () -> sql.transaction(c -> runs.incrementAndGet()), routing);

    Throwable e = assertThrows(Exception.class, done::join).getCause();
    assertTrue(e instanceof StoreException, String.valueOf(e));
    assertEquals(1, runs.get());
    assertEquals(List.of(), pauses, "a hot thread never waits");
  }

  @Test
  void anInterruptedPauseEndsTheRetriesAndKeepsTheInterrupt() throws Exception {
    ConflictRetry interrupted = new ConflictRetry(millis -> {
      throw new InterruptedException();
    }, bound -> 0);
    pool.failingCommits(conflict());
    AtomicInteger runs = new AtomicInteger();

    CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        new Sql(pool.dataSource(), 0, interrupted).transaction(c -> runs.incrementAndGet());
      } catch (StoreException e) {
        interruptKept.complete(Thread.currentThread().isInterrupted());
      }
    }, "blocking-1");
    t.start();
    t.join(30_000);

    assertTrue(interruptKept.getNow(false), "the thread's interrupt is kept for whoever stops it");
    assertEquals(1, runs.get());
  }

  /** Connections that do nothing but count, whose commits fail with the given exceptions first, in order. */
  private static final class FakePool {
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger rollbacks = new AtomicInteger();
    private final List<SQLException> commitFailures = new ArrayList<>();

    void failingCommits(SQLException... failures) {
      commitFailures.addAll(List.of(failures));
    }

    DataSource dataSource() {
      return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
          (proxy, method, args) -> {
            if (!method.getName().equals("getConnection")) {
              throw new UnsupportedOperationException(method.getName());
            }
            connections.incrementAndGet();
            open.incrementAndGet();
            return connection();
          });
    }

    private Connection connection() {
      return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> switch (method.getName()) {
            case "commit" -> {
              if (!commitFailures.isEmpty()) {
                throw commitFailures.remove(0);
              }
              commits.incrementAndGet();
              yield null;
            }
            case "rollback" -> {
              rollbacks.incrementAndGet();
              yield null;
            }
            case "close" -> {
              open.decrementAndGet();
              yield null;
            }
            case "setAutoCommit", "setNetworkTimeout" -> null;
            case "prepareStatement" -> Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {java.sql.PreparedStatement.class}, (ps, m, a) -> switch (m.getName()) {
                  case "executeUpdate" -> 1;
                  default -> null;
                });
            default -> throw new UnsupportedOperationException(method.getName());
          });
    }
  }
}
