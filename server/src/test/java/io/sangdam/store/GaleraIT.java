package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.testing.GaleraCluster;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sangdam's store on a real three-node MariaDB Galera cluster (scripts/install-galera): what one
 * node commits, another reads at once with {@code wsrep_sync_wait} set as the README says, and a
 * transaction that loses certification to a write committed first on another node (error 1213) is
 * run again by the store and completes, each change made once. Alone: three servers load the machine.
 */
@Tag("galera")
@Tag("alone")
class GaleraIT {
  @Test
  void aWriteOnOneNodeIsReadOnAnotherAndATransactionThatFailedCertificationIsRunAgain() throws Exception {
    // Under target/, which the servers (run as nobody by root) can reach; a JUnit temp dir they could not.
    Path dir = Path.of("target", "galera-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
    try (GaleraCluster galera = GaleraCluster.start(dir)) {
      try (Connection c = DriverManager.getConnection(galera.url(1, ""), "root", "");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE sangdam CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
      }
      try (Database first = new Database(galera.url(1, "sangdam"), "root", "", 4);
          Database second = new Database(galera.url(2, "sangdam") + "?sessionVariables=wsrep_sync_wait=1", "root", "",
              4)) {
        first.migrate();
        Sql one = new Sql(first);
        Sql two = new Sql(second);

        long tenant = one.insert("INSERT INTO tenant (code, name, created_at) VALUES ('galera', 'first', NOW())");
        assertEquals(Optional.of(1), two.one("SELECT @@wsrep_sync_wait", rs -> rs.getInt(1)),
            "the setting of the README reaches the session through db.url");
        assertEquals(Optional.of("first"), two.one("SELECT name FROM tenant WHERE id = ?", rs -> rs.getString(1), tenant),
            "node 2 reads what node 1 committed, at once");

        // Node 1's transaction changes the row, then node 2 commits a change of the same row before
        // node 1 commits: Galera rolls node 1's back (error 1213), and the store runs it again.
        AtomicInteger runs = new AtomicInteger();
        one.transaction(c -> {
          Sql.update(c, "UPDATE tenant SET name = CONCAT(name, '+one') WHERE id = ?", tenant);
          if (runs.incrementAndGet() == 1) {
            two.update("UPDATE tenant SET name = CONCAT(name, '+two') WHERE id = ?", tenant);
          }
          return null;
        });

        assertEquals(2, runs.get(), "run twice: the first lost certification to node 2's commit");
        assertEquals(1, first.conflicts().retries(), "counted in sangdam_db_retries_total");
        assertEquals(Optional.of("first+two+one"),
            two.one("SELECT name FROM tenant WHERE id = ?", rs -> rs.getString(1), tenant),
            "node 2's change, then node 1's, each once, on every node");
      }
    }
  }
}
