package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.sangdam.testing.CapturedLog;
import io.sangdam.threads.HotThreads;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guard every test run has on: a connection asked for on a thread marked hot fails, and is recorded. */
class HotThreadGuardTest {
  /** A pool that hands out a connection without any database behind it. */
  private static final DataSource POOL = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
      new Class<?>[] {DataSource.class}, (proxy, method, args) -> method.getName().equals("getConnection")
          ? Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
              (c, m, a) -> null)
          : null);

  private final ExecutorService routing = Executors.newSingleThreadExecutor(HotThreads.named("routing"));
  private final ExecutorService blocking = Executors.newSingleThreadExecutor(r -> new Thread(r, "blocking-1"));

  @AfterEach
  void stop() {
    routing.shutdownNow();
    blocking.shutdownNow();
  }

  @Test
  void aConnectionAskedForOnAHotThreadFailsNamingTheThreadAndIsRecorded() {
    HotThreadGuard guard = new HotThreadGuard(true);
    FailFastDataSource pool = new FailFastDataSource(POOL, () -> true, guard);
    CompletionException e;
    try (CapturedLog log = CapturedLog.of(HotThreadGuard.class)) {
      e = assertThrows(CompletionException.class,
          () -> CompletableFuture.supplyAsync(() -> connect(pool), routing).join());
      assertEquals(1, log.at(Level.ERROR).size(), "the refusal is logged");
    }
    assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
    assertTrue(e.getCause().getMessage().contains("'routing-1'"), e.getCause().getMessage());
    assertEquals(1, guard.violations().size());
    assertTrue(guard.violations().get(0).contains(HotThreadGuardTest.class.getName()),
        "the record carries the stack that asked: " + guard.violations().get(0));
  }

  @Test
  void aThreadThatMayBlockGetsItsConnection() {
    HotThreadGuard guard = new HotThreadGuard(true);
    FailFastDataSource pool = new FailFastDataSource(POOL, () -> true, guard);
    assertNotNull(CompletableFuture.supplyAsync(() -> connect(pool), blocking).join());
    assertNotNull(connect(pool), "the test's own thread is not hot");
    assertTrue(guard.violations().isEmpty());
  }

  @Test
  void offAsInProductionItChecksNothing() {
    HotThreadGuard guard = new HotThreadGuard(false);
    FailFastDataSource pool = new FailFastDataSource(POOL, () -> true, guard);
    assertNotNull(CompletableFuture.supplyAsync(() -> connect(pool), routing).join());
    assertTrue(guard.violations().isEmpty());
  }

  @Test
  void everyTestRunHasTheGuardOn() {
    assertTrue(Boolean.getBoolean(HotThreads.GUARD_PROPERTY),
        "surefire sets -D" + HotThreads.GUARD_PROPERTY + "=true for every test");
  }

  private static Connection connect(DataSource pool) {
    try {
      return pool.getConnection();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
