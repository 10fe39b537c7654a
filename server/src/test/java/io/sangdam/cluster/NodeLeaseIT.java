package io.sangdam.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.store.Database;
import io.sangdam.store.JdbcLeaseStore;
import io.sangdam.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lease as a server holds it: kept alive by its heartbeat, and never shared with a server on its data directory. */
@ExtendWith(TestDatabase.class)
class NodeLeaseIT {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration HEARTBEAT = Duration.ofMillis(500);

  private final Path dir = Path.of("target", "node-lease-it-" + UUID.randomUUID()).toAbsolutePath();

  private NodeLease lease(Database db, String dataDir, int port) {
    return new NodeLease(new JdbcLeaseStore(db), new Node(Optional.empty(), "web1", port, port,
        dir.resolve(dataDir).toString()), LEASE, HEARTBEAT, () -> { });
  }

  @Test
  void theHeartbeatKeepsTheLeaseLongPastItsFirstExpiry(TestDatabase.Url url) {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      try (NodeLease first = lease(db, "first", 8080)) {
        first.claim();
        long until = System.nanoTime() + LEASE.multipliedBy(2).toNanos();
        while (System.nanoTime() < until) {
          NodeLease.Refused refused = assertThrows(NodeLease.Refused.class, () -> {
            try (NodeLease other = lease(db, "other", 8081)) {
              other.claim();
            }
          });
          assertTrue(refused.getMessage().contains("in use by node web1 (host web1, port 8080,"), refused.getMessage());
        }
      }
      try (NodeLease other = lease(db, "other", 8081)) {
        other.claim();
      }
    }
  }

  @Test
  void aSecondServerOnTheSameDataDirectoryIsRefusedWhateverItsDatabase(TestDatabase.Url url) {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      try (NodeLease first = lease(db, "shared", 8080)) {
        first.claim();
        NodeLease.Refused refused = assertThrows(NodeLease.Refused.class, () -> {
          try (NodeLease second = lease(db, "shared", 8081)) {
            second.claim();
          }
        });
        assertTrue(refused.getMessage().contains("the data directory " + dir.resolve("shared") + " is in use"),
            refused.getMessage());
      }
    }
  }
}
