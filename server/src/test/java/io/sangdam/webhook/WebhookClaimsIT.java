package io.sangdam.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.sangdam.changes.LocalChanges;
import io.sangdam.directory.Directory;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.store.JdbcWebhookOutbox;
import io.sangdam.store.JdbcWebhookStore;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes on one outbox: each delivery is in flight on one node at a time, whichever path sends
 * it (at once when written, or taken by a poll, or retried), every one arrives and is answered once,
 * and a dead node's claims are taken by the other once they expire.
 */
@ExtendWith(TestDatabase.class)
class WebhookClaimsIT {
  /** A receiver slow enough that two sends of one delivery, if any, overlap. */
  private static final long ANSWER_MILLIS = 20;

  private final WebhookUrls anyUrl = new WebhookUrls(true, InetAddress::getAllByName, Set::of);
  /** Requests being answered now, per delivery id. */
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  /** Requests received, per delivery id. */
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  /** Answers 2xx, per delivery id. */
  private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
  private final ExecutorService receiverThreads = Executors.newFixedThreadPool(32);
  private HttpServer receiver;

  @BeforeEach
  void listen() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(receiverThreads);
    receiver.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      String id = exchange.getRequestHeaders().getFirst("X-Sangdam-Delivery");
      int now = inFlight.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      mostAtOnce.accumulateAndGet(now, Math::max);
      int attempt = received.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      try {
        Thread.sleep(ANSWER_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // Every third delivery fails its first attempt, so retries run beside the polls and new deliveries.
      boolean fail = attempt == 1 && Math.floorMod(id.hashCode(), 3) == 0;
      inFlight.get(id).decrementAndGet();
      if (!fail) {
        answered.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      }
      exchange.sendResponseHeaders(fail ? 503 : 204, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
    receiverThreads.shutdownNow();
  }

  private record Fixture(Database db, Webhook hook) {}

  private Fixture fixture(TestDatabase.Url url) {
    Database db = new Database(url.url(), url.user(), url.password(), 4);
    db.migrate();
    Clock clock = Clock.systemUTC();
    long tenant = new Directory(new JdbcDirectoryStore(db, clock, new Json()), new LocalChanges()).createTenant("acme", "Acme").id();
    Webhook hook = new JdbcWebhookStore(db, clock).insert(tenant, "http://127.0.0.1:" + receiver.getAddress().getPort()
        + "/hook", "whsec_test", Set.of("message.created"));
    return new Fixture(db, hook);
  }

  /** A node's deliveries: a small window and a quick poll, so that both nodes reach for the same rows often. */
  private WebhookDeliveries node(Fixture f, String name) {
    return new WebhookDeliveries(new JdbcWebhookOutbox(f.db(), name), anyUrl, Clock.systemUTC(),
        List.of(Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(10)), 8, Duration.ofMillis(10));
  }

  private static List<WebhookOutbox.Delivery> deliveries(Webhook hook, String prefix, int count) {
    List<WebhookOutbox.Delivery> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new WebhookOutbox.Delivery(prefix + "-" + i, hook, "message.created",
          "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), 0, Clock.systemUTC().instant()));
    }
    return out;
  }

  private static int rows(TestDatabase.Url url) {
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM webhook_delivery");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static int execute(TestDatabase.Url url, String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement(statement)) {
      return ps.executeUpdate();
    }
  }

  private Set<String> answeredIds() {
    return new HashSet<>(answered.keySet());
  }

  @Test
  void eachDeliveryIsInFlightOnOneNodeAtATimeAndAnsweredOnce(TestDatabase.Url url) {
    Fixture f = fixture(url);
    Set<String> all = new HashSet<>();
    // Rows a previous run left, unclaimed: both nodes' polls reach for them at once.
    List<WebhookOutbox.Delivery> left = deliveries(f.hook(), "left", 40);
    new JdbcWebhookOutbox(f.db(), "previous").add(left, Clock.systemUTC().instant());
    left.forEach(d -> all.add(d.deliveryId()));
    try (WebhookDeliveries a = node(f, "node-a"); WebhookDeliveries b = node(f, "node-b")) {
      a.resume();
      b.resume();
      for (int batch = 0; batch < 6; batch++) {
        // More than the window at once: the rest are written unclaimed, for either node's poll.
        List<WebhookOutbox.Delivery> toA = deliveries(f.hook(), "a" + batch, 12);
        List<WebhookOutbox.Delivery> toB = deliveries(f.hook(), "b" + batch, 12);
        toA.forEach(d -> all.add(d.deliveryId()));
        toB.forEach(d -> all.add(d.deliveryId()));
        a.deliver(toA);
        b.deliver(toB);
      }
      Eventually.eventually("every delivery answered", this::answeredIds, all::equals, Duration.ofSeconds(60));
      Eventually.eventually("the outbox emptied", () -> rows(url), n -> n == 0, Duration.ofSeconds(30));
    } finally {
      f.db().close();
    }
    assertEquals(1, mostAtOnce.get(), "one request at a time per delivery");
    assertTrue(answered.values().stream().allMatch(n -> n.get() == 1), "each answered once: " + answered);
  }

  @Test
  void aDeadNodesClaimsAreTakenByTheOtherOnceTheyExpire(TestDatabase.Url url) throws SQLException {
    Fixture f = fixture(url);
    JdbcWebhookOutbox dead = new JdbcWebhookOutbox(f.db(), "node-dead");
    List<WebhookOutbox.Delivery> orphans = deliveries(f.hook(), "orphan", 5);
    dead.add(orphans, Clock.systemUTC().instant());
    // The dead node claimed them, and died before sending any.
    assertEquals(5, dead.claimDue(Clock.systemUTC().instant(), 10, 0, Duration.ofHours(1)).size());
    List<WebhookOutbox.Delivery> control = deliveries(f.hook(), "control", 1);
    dead.add(control, Clock.systemUTC().instant());
    try (WebhookDeliveries live = node(f, "node-live")) {
      live.resume();
      Eventually.eventually("the unclaimed delivery answered", () -> answered.containsKey("control-0"));
      // The live node's polls ran after the dead node's claims were made, and left them alone.
      assertEquals(Set.of("control-0"), received.keySet(), "nothing claimed by the dead node was sent");

      // The claims expire.
      assertEquals(5, execute(url, "UPDATE webhook_delivery SET claimed_until = NOW(3) - INTERVAL 1 SECOND"
          + " WHERE claimed_by = 'node-dead'"));
      Set<String> expected = new HashSet<>(Set.of("control-0"));
      orphans.forEach(d -> expected.add(d.deliveryId()));
      Eventually.eventually("the dead node's deliveries answered", this::answeredIds, expected::equals,
          Duration.ofSeconds(30));
      Eventually.eventually("the outbox emptied", () -> rows(url), n -> n == 0, Duration.ofSeconds(30));
    } finally {
      f.db().close();
    }
    assertEquals(1, mostAtOnce.get());
    assertTrue(answered.values().stream().allMatch(n -> n.get() == 1), "each answered once: " + answered);
  }

  /**
   * Deliveries this node's previous run left claimed, with less of the claim left than an attempt
   * needs: the claim is renewed before they are sent, at once (not once it ran out). The row keeps
   * the renewed claim through the failed attempt and its retry, which this node makes.
   */
  @Test
  void aClaimTooShortForAnAttemptIsRenewedBeforeTheAttempt(TestDatabase.Url url) {
    Fixture f = fixture(url);
    List<WebhookOutbox.Delivery> left = deliveries(f.hook(), "short", 3);
    new JdbcWebhookOutbox(f.db(), "node-a").addClaimed(left, Clock.systemUTC().instant(),
        WebhookDeliveries.ATTEMPT);
    try (WebhookDeliveries a = node(f, "node-a")) {
      a.resume();
      Set<String> expected = new HashSet<>();
      left.forEach(d -> expected.add(d.deliveryId()));
      Eventually.eventually("sent under a renewed claim", this::answeredIds, expected::equals);
      Eventually.eventually("the outbox emptied", () -> rows(url), n -> n == 0);
    } finally {
      f.db().close();
    }
  }

  /**
   * A node whose claim ran out and was taken by another cannot renew it, nor record an outcome over
   * the other's: its late attempt changes nothing of the row the other now sends.
   */
  @Test
  void aClaimThatRanOutAndWasTakenIsNoLongerTheFirstNodes(TestDatabase.Url url) throws SQLException {
    Fixture f = fixture(url);
    JdbcWebhookOutbox a = new JdbcWebhookOutbox(f.db(), "node-a");
    JdbcWebhookOutbox b = new JdbcWebhookOutbox(f.db(), "node-b");
    a.addClaimed(deliveries(f.hook(), "one", 1), Clock.systemUTC().instant(), WebhookDeliveries.CLAIM);
    WebhookOutbox.Key key = new WebhookOutbox.Key("one-0", f.hook().id());
    try {
      assertEquals(List.of(), b.claimDue(Clock.systemUTC().instant(), 10, 0, WebhookDeliveries.CLAIM),
          "a's claim holds: not b's to take");
      assertTrue(a.renew(key, WebhookDeliveries.CLAIM), "a renews its own claim");
      assertEquals(1, execute(url, "UPDATE webhook_delivery SET claimed_until = NOW(3) - INTERVAL 1 SECOND"));
      assertEquals(1, b.claimDue(Clock.systemUTC().instant(), 10, 0, WebhookDeliveries.CLAIM).size(),
          "expired: b takes it");
      assertFalse(a.renew(key, WebhookDeliveries.CLAIM), "no longer a's");
      assertFalse(a.failed(key, 1, Clock.systemUTC().instant(), "late", WebhookDeliveries.CLAIM));
      a.gaveUp(key, 1, "late");
      assertEquals(1, rowsClaimedBy(url, "node-b"), "still pending, b's");
    } finally {
      f.db().close();
    }
  }

  private static int rowsClaimedBy(TestDatabase.Url url, String node) {
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement(
            "SELECT COUNT(*) FROM webhook_delivery WHERE state = 'PENDING' AND attempts = 0 AND claimed_by = ?"
            + " AND claimed_until > NOW(3)")) {
      ps.setString(1, node);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
