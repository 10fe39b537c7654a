package io.sangdam.store;

import static io.sangdam.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.cluster.LeaseStore;
import io.sangdam.cluster.Node;
import io.sangdam.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.flywaydb.core.Flyway;
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
  private static final String FIRST_ID = "a".repeat(32);
  private static final Node FIRST = new Node(Optional.empty(), FIRST_ID, "web1", 8080, 101, "/srv/a/data");
  private static final Node SECOND = new Node(Optional.empty(), "b".repeat(32), "web1", 8081, 202, "/srv/b/data");

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
      assertEquals(FIRST, holder.node(), "another node id is another node");
      assertTrue(holder.since().isAfter(before), holder.toString());
      assertTrue(lease.renew("first", SHORT), "the holder renews");

      // The lease runs on the database's clock, which a test cannot advance.
      eventually("taken over once the holder went silent past its lease", () -> lease.claim(SECOND, "second", LONG),
          Optional::isEmpty, Duration.ofSeconds(20));
      assertFalse(lease.renew("first", SHORT), "the old holder can no longer renew: it has to stop");
      assertEquals(SECOND, lease.claim(FIRST, "first-again", LONG).orElseThrow().node());
    }
  }

  @Test
  void theSameNodeTakesItsLeaseBackAtOnceAndAReleasedLeaseIsFree(TestDatabase.Url url) {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      LeaseStore lease = store(db);
      assertEquals(Optional.empty(), lease.claim(FIRST, "before-the-crash", LONG));
      Node restarted = new Node(Optional.empty(), FIRST_ID, "web1", 8080, 303, "/srv/a/data");
      assertEquals(Optional.empty(), lease.claim(restarted, "after-the-crash", LONG), "the same node id");
      assertFalse(lease.renew("before-the-crash", LONG));

      Node named = new Node(Optional.of("seoul-1"), FIRST_ID, "web1", 8080, 404, "/srv/a/data");
      assertEquals(Optional.empty(), lease.claim(named, "named", LONG));
      Node moved = new Node(Optional.of("seoul-1"), "c".repeat(32), "web7", 9090, 505, "/var/lib/sangdam");
      assertEquals(Optional.empty(), lease.claim(moved, "moved", LONG), "the same configured name, elsewhere");
      assertEquals(moved, lease.claim(SECOND, "second", LONG).orElseThrow().node());

      lease.release("moved");
      assertEquals(Optional.empty(), lease.claim(SECOND, "second", LONG), "released on a clean stop: free at once");
    }
  }

  @Test
  void theSameHostAndDataDirectoryPathWithAnotherNodeIdIsAnotherNode(TestDatabase.Url url) {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      LeaseStore lease = store(db);
      Node container = new Node(Optional.empty(), FIRST_ID, "localhost", 8080, 1, "/opt/sangdam/data");
      Node otherContainer = new Node(Optional.empty(), "d".repeat(32), "localhost", 8080, 1, "/opt/sangdam/data");
      assertEquals(Optional.empty(), lease.claim(container, "first", LONG));
      assertEquals(container, lease.claim(otherContainer, "second", LONG).orElseThrow().node(),
          "refused while the first is live: host name and path prove nothing across machines");
      assertTrue(lease.renew("first", LONG), "the first keeps its lease");
    }
  }

  @Test
  void theLiveHolderIsReadWithoutChangingAnythingOnASchemaOfAnyAge(TestDatabase.Url url) {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      JdbcLeaseStore lease = new JdbcLeaseStore(db);
      assertEquals(Optional.empty(), lease.liveHolder(), "no lease table yet: nobody holds it");
      Flyway.configure().dataSource(url.url(), url.user(), url.password()).locations("classpath:db/migration")
          .target("7").load().migrate();
      assertEquals(Optional.empty(), lease.liveHolder(), "born expired");
      new Sql(db).update("""
          UPDATE node_lease SET host = 'web0', port = 8080, pid = 7, data_dir = '/srv/data', token = 'old',
            since = NOW(6), renewed_at = NOW(6), expires_at = NOW(6) + INTERVAL 1 MINUTE WHERE scope = 'database'""");
      Node old = lease.liveHolder().orElseThrow().node();
      assertEquals(new Node(Optional.empty(), "", "web0", 8080, 7, "/srv/data"), old, "a holder of before V009");
      assertFalse(old.sameAs(new Node(Optional.empty(), FIRST_ID, "web0", 8080, 8, "/srv/data")),
          "without an id, matched by no node");

      db.migrate();
      assertEquals(old, lease.liveHolder().orElseThrow().node());
      assertEquals(old, lease.claim(FIRST, "first", LONG).orElseThrow().node(), "taken over only once it expires");
      lease.release("old");
      assertEquals(Optional.empty(), lease.liveHolder(), "released: nobody holds it");
      assertEquals(Optional.empty(), lease.claim(FIRST, "first", LONG));
      assertEquals(FIRST, lease.liveHolder().orElseThrow().node());
    }
  }
}
