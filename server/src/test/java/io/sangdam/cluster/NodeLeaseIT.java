package io.sangdam.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.store.Database;
import io.sangdam.store.JdbcLeaseStore;
import io.sangdam.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lease as a server holds it: kept alive by its heartbeat, never shared with a server on its
 * data directory, and owned by the node id kept in that directory, not by its host name and path.
 */
@ExtendWith(TestDatabase.class)
class NodeLeaseIT {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration HEARTBEAT = Duration.ofMillis(500);

  private final Path dir = Path.of("target", "node-lease-it-" + UUID.randomUUID()).toAbsolutePath();

  /** A server on {@code dataDir}, which it holds locked; every one on host "localhost", as in containers. */
  private static NodeLease lease(Database db, DataDirectory dataDir, Path path, int port) {
    return new NodeLease(new JdbcLeaseStore(db), new Node(Optional.empty(), dataDir.nodeId(), "localhost", port, port,
        path.toString()), LEASE, HEARTBEAT, () -> { });
  }

  @Test
  void theHeartbeatKeepsTheLeaseLongPastItsFirstExpiry(TestDatabase.Url url) {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2);
        DataDirectory firstDir = DataDirectory.lock(dir.resolve("first"));
        DataDirectory otherDir = DataDirectory.lock(dir.resolve("other"))) {
      db.migrate();
      try (NodeLease first = lease(db, firstDir, dir.resolve("first"), 8080)) {
        first.claim();
        long until = System.nanoTime() + LEASE.multipliedBy(2).toNanos();
        while (System.nanoTime() < until) {
          NodeLease.Refused refused = assertThrows(NodeLease.Refused.class, () -> {
            try (NodeLease other = lease(db, otherDir, dir.resolve("other"), 8081)) {
              other.claim();
            }
          });
          assertTrue(refused.getMessage().contains("in use by node localhost (host localhost, port 8080,"),
              refused.getMessage());
        }
      }
      try (NodeLease other = lease(db, otherDir, dir.resolve("other"), 8081)) {
        other.claim();
      }
    }
  }

  @Test
  void aSecondServerOnTheSameDataDirectoryIsRefusedWhateverItsDatabase() {
    try (DataDirectory first = DataDirectory.lock(dir.resolve("shared"))) {
      NodeLease.Refused refused = assertThrows(NodeLease.Refused.class,
          () -> DataDirectory.lock(dir.resolve("shared")).close());
      assertTrue(refused.getMessage().contains("the data directory " + dir.resolve("shared") + " is in use"),
          refused.getMessage());
    }
  }

  @Test
  void theNodeIdIsWrittenOnceAndKeptAcrossRestarts() throws IOException {
    String id;
    try (DataDirectory first = DataDirectory.lock(dir.resolve("kept"))) {
      id = first.nodeId();
    }
    try (DataDirectory restarted = DataDirectory.lock(dir.resolve("kept"))) {
      assertEquals(id, restarted.nodeId());
    }
    assertEquals(id + "\n", Files.readString(dir.resolve("kept").resolve(DataDirectory.NODE_ID_FILE)));
  }

  /**
   * Two servers whose host name and data-directory path are the same, but whose directories are not
   * (two containers on the host's network, each with its own volume at the same path): the path
   * here is a symbolic link, switched to another directory while the first server runs.
   */
  @Test
  void anotherDirectoryAtTheSamePathOnTheSameHostIsAnotherNodeAndWaits(TestDatabase.Url url) throws IOException {
    Path mine = Files.createDirectories(dir.resolve("volume-a"));
    Path theirs = Files.createDirectories(dir.resolve("volume-b"));
    Path path = dir.resolve("data");
    Files.createSymbolicLink(path, mine);
    try (Database db = new Database(url.url(), url.user(), url.password(), 2);
        DataDirectory firstDir = DataDirectory.lock(path)) {
      NodeLease first = lease(db, firstDir, path, 8080);
      first.refuseIfHeldByAnother();
      db.migrate();
      first.claim();

      relink(path, theirs);
      try (DataDirectory secondDir = DataDirectory.lock(path)) {
        assertNotEquals(firstDir.nodeId(), secondDir.nodeId());
        NodeLease second = lease(db, secondDir, path, 8080);
        NodeLease.Refused beforeMigrations = assertThrows(NodeLease.Refused.class, second::refuseIfHeldByAnother);
        assertTrue(beforeMigrations.getMessage().contains("in use by node localhost (host localhost, port 8080,"),
            beforeMigrations.getMessage());
        assertThrows(NodeLease.Refused.class, second::claim, "the same host and path, another node: refused");
        second.close();
      }

      // The first crashes (its lease is never released) and restarts on its own directory: its place at once.
      relink(path, mine);
      firstDir.close();
      try (DataDirectory restartedDir = DataDirectory.lock(path); NodeLease restarted = lease(db, restartedDir, path,
          8080)) {
        assertEquals(firstDir.nodeId(), restartedDir.nodeId());
        restarted.refuseIfHeldByAnother();
        restarted.claim();
      }
      first.close();
    }
  }

  private static void relink(Path link, Path target) throws IOException {
    Path swapped = link.resolveSibling(link.getFileName() + ".new");
    Files.createSymbolicLink(swapped, target);
    Files.move(swapped, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
