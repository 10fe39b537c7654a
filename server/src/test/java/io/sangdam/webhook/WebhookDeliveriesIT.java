package io.sangdam.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpServer;
import io.sangdam.changes.LocalChanges;
import io.sangdam.directory.Directory;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.store.JdbcWebhookOutbox;
import io.sangdam.store.JdbcWebhookStore;
import io.sangdam.testing.ManualTime;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The outbox's rows through a delivery's life, on a real database: a failed attempt is recorded
 * with its count, error and next time; a resumed delivery is sent when due and leaves the table;
 * one that failed its last attempt stays as GAVE_UP with the last error.
 */
@ExtendWith(TestDatabase.class)
class WebhookDeliveriesIT {
  private final ManualTime clock = new ManualTime(Instant.parse("2026-12-01T00:00:00Z"));
  private final WebhookUrls anyUrl = new WebhookUrls(true, InetAddress::getAllByName, Set::of);
  private final BlockingQueue<String> attempts = new LinkedBlockingQueue<>();
  private final AtomicInteger status = new AtomicInteger(500);
  private HttpServer receiver;

  @BeforeEach
  void listen() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      attempts.add(exchange.getRequestHeaders().getFirst("X-Sangdam-Delivery"));
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  private record Fixture(Database db, TestDatabase.Url url, JdbcWebhookOutbox outbox, Webhook hook) {}

  private Fixture fixture(TestDatabase.Url url) {
    Database db = new Database(url.url(), url.user(), url.password(), 2);
    db.migrate();
    long tenant = new Directory(new JdbcDirectoryStore(db, clock, new Json()), new LocalChanges()).createTenant("acme", "Acme")
        .id();
    Webhook hook = new JdbcWebhookStore(db, clock).insert(tenant, "http://127.0.0.1:" + receiver.getAddress().getPort()
        + "/hook", "whsec_test", Set.of("message.created"));
    return new Fixture(db, url, new JdbcWebhookOutbox(db, "node-a"), hook);
  }

  private static WebhookOutbox.Delivery delivery(Webhook hook, String id, Instant due) {
    return new WebhookOutbox.Delivery(id, hook, "message.created", "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8),
        0, due);
  }

  /** The row of a delivery: state, attempts, next attempt and last error; null when there is none. */
  private static String row(TestDatabase.Url url, String deliveryId) throws SQLException {
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement(
            "SELECT state, attempts, next_attempt_at, last_error FROM webhook_delivery WHERE delivery_id = ?")) {
      ps.setString(1, deliveryId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) + " " + rs.getInt(2) + " " + rs.getTimestamp(3).toLocalDateTime() + " "
            + rs.getString(4) : null;
      }
    }
  }

  /** Waits (up to 10 s, between the receiver's attempts) until the row reads {@code expected}. */
  private String awaitRow(TestDatabase.Url url, String deliveryId, String expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String now = row(url, deliveryId);
    while (!String.valueOf(now).equals(String.valueOf(expected)) && System.nanoTime() < deadline) {
      attempts.poll(50, TimeUnit.MILLISECONDS);
      now = row(url, deliveryId);
    }
    return now;
  }

  @Test
  void aFailedAttemptIsRecordedAndAfterARestartTheDeliveryIsSentWhenDueAndRemoved(TestDatabase.Url url)
      throws Exception {
    Fixture f = fixture(url);
    try (WebhookDeliveries first = new WebhookDeliveries(f.outbox(), anyUrl, clock, List.of(Duration.ofHours(1)),
        WebhookDeliveries.WINDOW, WebhookDeliveries.POLL)) {
      first.deliver(List.of(delivery(f.hook(), "d-1", clock.instant())));
      assertEquals("d-1", attempts.poll(10, TimeUnit.SECONDS));
      assertEquals("PENDING 1 2026-12-01T01:00 status 500", awaitRow(url, "d-1", "PENDING 1 2026-12-01T01:00 status 500"));
    }
    status.set(204);
    clock.advance(Duration.ofMinutes(59));
    try (WebhookDeliveries restarted = new WebhookDeliveries(f.outbox(), anyUrl, clock, WebhookDeliveries.BACKOFF,
        WebhookDeliveries.WINDOW, WebhookDeliveries.POLL)) {
      clock.advance(Duration.ofMinutes(1));
      restarted.resume();
      assertEquals("d-1", attempts.poll(10, TimeUnit.SECONDS), "due now: sent at once");
      assertNull(awaitRow(url, "d-1", null), "answered: no longer in the outbox");
      assertNull(attempts.poll(500, TimeUnit.MILLISECONDS), "and not sent again");
    } finally {
      f.db().close();
    }
  }

  @Test
  void aDeliveryThatFailsItsLastAttemptIsKeptAsGivenUpWithTheLastError(TestDatabase.Url url) throws Exception {
    Fixture f = fixture(url);
    try (WebhookDeliveries deliveries = new WebhookDeliveries(f.outbox(), anyUrl, clock,
        List.of(Duration.ofMillis(10), Duration.ofMillis(10)), WebhookDeliveries.WINDOW, WebhookDeliveries.POLL)) {
      status.set(503);
      deliveries.deliver(List.of(delivery(f.hook(), "d-2", clock.instant())));
      for (int i = 0; i < 3; i++) {
        assertNotNull(attempts.poll(10, TimeUnit.SECONDS), "attempt " + (i + 1));
      }
      String kept = awaitRow(url, "d-2", "GAVE_UP 3 2026-12-01T00:00:00.010 status 503");
      assertEquals("GAVE_UP 3 2026-12-01T00:00:00.010 status 503", kept);
      assertNull(attempts.poll(500, TimeUnit.MILLISECONDS), "three attempts, no more");
      assertEquals(List.of(), f.outbox().claimDue(clock.instant().plus(Duration.ofDays(1)), 10, 0,
          WebhookDeliveries.CLAIM), "not resumed at a restart");
    } finally {
      f.db().close();
    }
  }

  /** How many rows the outbox has, in any state. */
  private static int rows(TestDatabase.Url url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM webhook_delivery");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** The deliveries received until {@code count} distinct ones came (up to 20 s), in order, repeats included. */
  private List<String> receive(int count) throws InterruptedException {
    List<String> received = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (new HashSet<>(received).size() < count && System.nanoTime() < deadline) {
      String id = attempts.poll(100, TimeUnit.MILLISECONDS);
      if (id != null) {
        received.add(id);
      }
    }
    return received;
  }

  /**
   * Waits (up to 10 s) until the outbox is empty: every delivery answered and removed. What the
   * receiver gets meanwhile is added to {@code received}.
   */
  private int awaitEmpty(TestDatabase.Url url, List<String> received) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int left = rows(url);
    while (left > 0 && System.nanoTime() < deadline) {
      String id = attempts.poll(20, TimeUnit.MILLISECONDS);
      if (id != null) {
        received.add(id);
      }
      left = rows(url);
    }
    return left;
  }

  /**
   * Thirty new deliveries through a window of four: every one is written to the outbox, the
   * window's are sent at once and the poll takes the rest as it empties; each arrives exactly once.
   */
  @Test
  void moreDeliveriesThanTheWindowAllArriveExactlyOnce(TestDatabase.Url url) throws Exception {
    Fixture f = fixture(url);
    status.set(204);
    List<String> sent = new ArrayList<>();
    try (WebhookDeliveries deliveries = new WebhookDeliveries(f.outbox(), anyUrl, clock, WebhookDeliveries.BACKOFF,
        4, Duration.ofMillis(20))) {
      deliveries.resume();
      for (int batch = 0; batch < 3; batch++) {
        List<WebhookOutbox.Delivery> fresh = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          String id = "w-" + batch + "-" + i;
          sent.add(id);
          fresh.add(delivery(f.hook(), id, clock.instant()));
        }
        deliveries.deliver(fresh);
      }
      List<String> received = receive(sent.size());
      assertEquals(new HashSet<>(sent), new HashSet<>(received), "every delivery arrived");
      assertEquals(0, awaitEmpty(url, received), "and left the outbox");
      assertNull(attempts.poll(300, TimeUnit.MILLISECONDS), "nothing more is sent");
      assertEquals(sent.size(), received.size(), "none twice: " + received);
    } finally {
      f.db().close();
    }
  }

  /** Twelve rows a previous run left, through a window of five: all sent by the polls, no restart. */
  @Test
  void rowsBeyondTheStartUpWindowAreSentWithoutARestart(TestDatabase.Url url) throws Exception {
    Fixture f = fixture(url);
    status.set(204);
    List<WebhookOutbox.Delivery> left = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      left.add(delivery(f.hook(), "left-" + i, clock.instant()));
    }
    f.outbox().add(left, clock.instant());
    try (WebhookDeliveries deliveries = new WebhookDeliveries(f.outbox(), anyUrl, clock, WebhookDeliveries.BACKOFF,
        5, Duration.ofMillis(20))) {
      deliveries.resume();
      List<String> received = receive(left.size());
      assertEquals(left.stream().map(WebhookOutbox.Delivery::deliveryId).collect(Collectors.toSet()),
          new HashSet<>(received));
      assertEquals(0, awaitEmpty(url, received));
      assertEquals(left.size(), received.size(), "none twice: " + received);
    } finally {
      f.db().close();
    }
  }
}
