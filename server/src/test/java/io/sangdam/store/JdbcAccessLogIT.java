package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.accesslog.AccessChain;
import io.sangdam.accesslog.AccessLog;
import io.sangdam.accesslog.AccessRecord;
import io.sangdam.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access records' chain on a real MariaDB: appends from two nodes at once stay one line, a changed or removed
 * record is found, pruning for age keeps the rest verifiable, and a node with another key is refused.
 */
@ExtendWith(TestDatabase.class)
class JdbcAccessLogIT {
  private static final Instant T0 = Instant.parse("2024-01-10T01:00:00Z");

  @TempDir
  Path keys;

  private static AccessRecord read(int n) {
    return new AccessRecord(7L, "boss", 3L, 5L, "203.0.113.9", "transcript", "conversation " + n, List.of(40L + n),
        null);
  }

  private static void sql(TestDatabase.Url url, String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  @Test
  void twoNodesAppendingAtOnceMakeOneGaplessLine(TestDatabase.Url url) throws Exception {
    AccessChain chain = AccessChain.fromKeyFile(keys.resolve("access-log.key"), true);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try (Database one = new Database(url.url(), url.user(), url.password(), 2);
        Database two = new Database(url.url(), url.user(), url.password(), 2)) {
      one.migrate();
      List<JdbcAccessLog> nodes = List.of(new JdbcAccessLog(one, chain, Clock.systemUTC()),
          new JdbcAccessLog(two, chain, Clock.systemUTC()));
      List<Future<?>> appends = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        JdbcAccessLog node = nodes.get(t % 2);
        int first = t * 25;
        appends.add(threads.submit(() -> {
          for (int i = 0; i < 25; i++) {
            node.record(read(first + i));
          }
        }));
      }
      for (Future<?> append : appends) {
        append.get(60, TimeUnit.SECONDS);
      }
      AccessLog.Verdict verdict = nodes.get(1).verify();
      assertTrue(verdict.holds(), verdict.toString());
      assertEquals(100, verdict.records());
      assertEquals(100, verdict.lastId(), "ids 1 to 100, none skipped, none twice");
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aChangedRecordAndARemovedOneAreFound(TestDatabase.Url url) throws SQLException {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      JdbcAccessLog log = new JdbcAccessLog(db, AccessChain.fromKeyFile(keys.resolve("k"), true), Clock.systemUTC());
      for (int i = 1; i <= 5; i++) {
        log.record(read(i));
      }
      assertTrue(log.verify().holds());

      sql(url, "UPDATE access_log SET subjects = '99' WHERE id = 3");
      AccessLog.Verdict changed = log.verify();
      assertEquals(3L, changed.brokenAt().orElseThrow(), changed.toString());
      assertTrue(changed.problem().contains("changed"), changed.problem());
      sql(url, "UPDATE access_log SET subjects = '43' WHERE id = 3");
      assertTrue(log.verify().holds(), "put back as it was, it holds again");

      sql(url, "UPDATE access_log SET subjects = 'x,y' WHERE id = 2");
      assertEquals(2L, log.verify().brokenAt().orElseThrow(), "a value that is no id at all is a change too");
      sql(url, "UPDATE access_log SET subjects = '42' WHERE id = 2");

      sql(url, "DELETE FROM access_log WHERE id = 4");
      AccessLog.Verdict removed = log.verify();
      assertEquals(4L, removed.brokenAt().orElseThrow(), removed.toString());
      assertTrue(removed.problem().contains("missing"), removed.problem());
    }
  }

  @Test
  void pruningForAgeKeepsTheRestVerifiableAndCannotBeImitatedWithoutTheKey(TestDatabase.Url url) throws SQLException {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      AccessChain chain = AccessChain.fromKeyFile(keys.resolve("k"), true);
      JdbcAccessLog old = new JdbcAccessLog(db, chain, Clock.fixed(T0, ZoneOffset.UTC));
      JdbcAccessLog recent = new JdbcAccessLog(db, chain, Clock.fixed(T0.plus(Duration.ofDays(800)), ZoneOffset.UTC));
      for (int i = 1; i <= 3; i++) {
        old.record(read(i));
      }
      recent.record(read(4));
      recent.record(read(5));

      assertEquals(3, recent.prune(T0.plus(Duration.ofDays(70))));
      assertEquals(0, recent.prune(T0.plus(Duration.ofDays(70))), "a second run (another node's) removes nothing");
      AccessLog.Verdict verdict = recent.verify();
      assertTrue(verdict.holds(), verdict.toString());
      assertEquals(2, verdict.records());

      // Whoever can write the tables removes the oldest kept record and moves the start past it, without the key.
      sql(url, "UPDATE access_log_chain SET pruned_id = 4, pruned_mac = (SELECT mac FROM access_log WHERE id = 4)");
      sql(url, "DELETE FROM access_log WHERE id = 4");
      AccessLog.Verdict forged = recent.verify();
      assertFalse(forged.holds(), forged.toString());
      assertTrue(forged.problem().contains("not vouched for"), forged.problem());
    }
  }

  @Test
  void theKeyIsMadeOnceForTheOwnerOnlyAndANodeWithAnotherKeyIsRefused(TestDatabase.Url url) throws Exception {
    Path file = keys.resolve("data").resolve("access-log.key");
    AccessChain first = AccessChain.fromKeyFile(file, true);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String written = Files.readString(file);
    assertEquals(first.keyId(), AccessChain.fromKeyFile(file, true).keyId(), "read back, not made again");
    assertEquals(written, Files.readString(file));
    assertThrows(IllegalStateException.class, () -> AccessChain.fromKeyFile(keys.resolve("absent"), false),
        "the verifying command never makes a key");
    Files.writeString(keys.resolve("short"), "c2hvcnQ=\n");
    IllegalStateException notAKey = assertThrows(IllegalStateException.class,
        () -> AccessChain.fromKeyFile(keys.resolve("short"), true));
    assertTrue(notAKey.getMessage().contains("does not hold an access records' key"), notAKey.getMessage());

    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      new JdbcAccessLog(db, first, Clock.systemUTC()).claimKey();
      new JdbcAccessLog(db, first, Clock.systemUTC()).claimKey();
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new JdbcAccessLog(db,
          AccessChain.fromKeyFile(keys.resolve("other.key"), true), Clock.systemUTC()).claimKey());
      assertTrue(refused.getMessage().contains("give every node the same accessLog.keyFile"), refused.getMessage());
    }
  }
}
