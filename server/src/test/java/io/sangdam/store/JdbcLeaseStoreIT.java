package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.cluster.LeaseStore;
import io.sangdam.cluster.Node;
import io.sangdam.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rules of the database's lease, on a real MariaDB and its clock: a live holder keeps it, an
 * expired one loses it, a node with the holder's identity takes it back at once, and a holder whose
 * lease was taken over can no longer renew it.
 */
@ExtendWith(TestDatabase.class)
class JdbcLeaseStoreIT {
  private static final Duration SHORT = Duration.ofSeconds(2);
  private static final Duration LONG = Duration.ofMinutes(5);
  private static final Node FIRST = new Node(Optional.empty(), "web1", 8080, 101, "/srv/a/data");
  private static final Node SECOND = new Node(Optional.empty(), "web1", 8081, 202, "/srv/b/data");

  private static JdbcLeaseStore store(Database db) {
    db.migrate();
    return new JdbcLeaseStore(db);
  }

  @Test
  void aLiveHolderKeepsTheLeaseAndIsNamedToTheNextNodeUntilItExpires(TestDatabase.Url url) {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      LeaseStore lease = store(db);
      Instant before = Instant.now().minusSeconds(5);
      assertEquals(Optional.empty(), lease.claim(FIRST, "first", SHORT), "the first node finds it free");

      LeaseStore.Holder holder = lease.claim(SECOND, "second", LONG).orElseThrow();
      assertEquals(FIRST, holder.node(), "the same host but another data directory is another node");
      assertTrue(holder.since().isAfter(before), holder.toString());
      assertTrue(lease.renew("first", SHORT), "the holder renews");

      Optional<LeaseStore.Holder> refused = lease.claim(SECOND, "second", LONG);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (refused.isPresent() && System.nanoTime() < deadline) {
        refused = lease.claim(SECOND, "second", LONG);
      }
      assertEquals(Optional.empty(), refused, "taken over once the holder went silent past its lease");
      assertFalse(lease.renew("first", SHORT), "the old holder can no longer renew: it has to stop");
      assertEquals(SECOND, lease.claim(FIRST, "first-again", LONG).orElseThrow().node());
    }
  }

  @Test
  void theSameNodeTakesItsLeaseBackAtOnceAndAReleasedLeaseIsFree(TestDatabase.Url url) {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      LeaseStore lease = store(db);
      assertEquals(Optional.empty(), lease.claim(FIRST, "before-the-crash", LONG));
      Node restarted = new Node(Optional.empty(), "web1", 8080, 303, "/srv/a/data");
      assertEquals(Optional.empty(), lease.claim(restarted, "after-the-crash", LONG), "same host and data directory");
      assertFalse(lease.renew("before-the-crash", LONG));

      Node named = new Node(Optional.of("seoul-1"), "web1", 8080, 404, "/srv/a/data");
      assertEquals(Optional.empty(), lease.claim(named, "named", LONG));
      Node moved = new Node(Optional.of("seoul-1"), "web7", 9090, 505, "/var/lib/sangdam");
      assertEquals(Optional.empty(), lease.claim(moved, "moved", LONG), "the same configured name, elsewhere");
      assertEquals(moved, lease.claim(SECOND, "second", LONG).orElseThrow().node());

      lease.release("moved");
      assertEquals(Optional.empty(), lease.claim(SECOND, "second", LONG), "released on a clean stop: free at once");
    }
  }
}
