package io.sangdam.webhook;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhook deliveries live in the outbox table until answered: one still retrying when the server
 * stops is sent after the restart, once; one whose URL has come to point at a forbidden address
 * is not sent, and stays in the table with the reason.
 */
class WebhookOutboxIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true");

  /** One request the receiver got, and whether it answered 2xx. */
  private record Attempt(String delivery, String body, boolean answered) {}

  private HttpServer receiver;
  private final BlockingQueue<Attempt> attempts = new LinkedBlockingQueue<>();
  private final AtomicBoolean failing = new AtomicBoolean();

  @BeforeEach
  void listen() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean fail = failing.get();
      attempts.add(new Attempt(exchange.getRequestHeaders().getFirst("X-Sangdam-Delivery"), body, !fail));
      exchange.sendResponseHeaders(fail ? 503 : 204, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  private Attempt nextAttempt(int seconds) throws InterruptedException {
    Attempt a = attempts.poll(seconds, TimeUnit.SECONDS);
    assertNotNull(a, "an attempt within " + seconds + " s");
    return a;
  }

  private static Connection database() throws SQLException {
    TestDatabase.Url db = server.database();
    return DriverManager.getConnection(db.url(), db.user(), db.password());
  }

  /** The outbox rows of a webhook: state, attempts and last error of each. */
  private static List<String> outbox(long webhookId) throws SQLException {
    try (Connection c = database(); PreparedStatement ps = c.prepareStatement(
        "SELECT state, attempts, last_error FROM webhook_delivery WHERE webhook_id = ?")) {
      ps.setLong(1, webhookId);
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3));
        }
      }
      return rows;
    }
  }

  @Test
  void aDeliveryStillRetryingWhenTheServerStopsIsSentOnceAfterTheRestart() throws Exception {
    TestServer.Setup s = server.setUp();
    long hook = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/webhooks", s.adminToken(),
        of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "events",
            List.of("conversation.started"))).path("id").asLong();
    failing.set(true);
    long conversation;
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      conversation = server.assignedChat(s, agent, customer);
    }
    Attempt failed = nextAttempt(15);
    List<String> waiting = outbox(hook);
    assertEquals(1, waiting.size(), waiting::toString);
    assertTrue(waiting.get(0).startsWith("PENDING"), "the failed delivery waits in the outbox: " + waiting);

    server.stop();
    // The back-off runs out while the server is down, as when a restart takes longer than the first
    // retry's 1 s: the start's first read of the outbox sends it, not a poll 5 s later.
    try (Connection c = database(); PreparedStatement ps = c.prepareStatement(
        "UPDATE webhook_delivery SET next_attempt_at = '2000-01-01' WHERE webhook_id = ?")) {
      ps.setLong(1, hook);
      assertEquals(1, ps.executeUpdate());
    }
    failing.set(false);
    server.start();

    Attempt delivered;
    do {
      // Attempts that failed before the stop (the first retry comes after 1 s) may still be counted here.
      delivered = nextAttempt(30);
    } while (!delivered.answered());
    assertEquals(failed.delivery(), delivered.delivery(), "the same delivery, not a new event");
    assertEquals(failed.body(), delivered.body());
    assertEquals(conversation, Json.parse(delivered.body()).path("data").path("conversation").asLong());
    // Sent once: nothing more until the answered delivery has left the outbox, and nothing can send it
    // after that: a delivery is sent from its row, or from memory until its outcome is in the row.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!outbox(hook).isEmpty() && System.nanoTime() < deadline) {
      assertNull(attempts.poll(100, TimeUnit.MILLISECONDS), "sent once after the restart");
    }
    assertEquals(List.of(), outbox(hook), "an answered delivery leaves the outbox");
    assertNull(attempts.poll(), "sent once after the restart");
  }

  /**
   * A name that resolved to an internal host when it was registered and now resolves to a cloud's
   * metadata service: here the URL is written straight to the table, as registration would have
   * seen it then.
   */
  @Test
  void aDeliveryToAnAddressForbiddenAtSendingIsGivenUpAtOnceAndKeptWithItsReason() throws Exception {
    TestServer.Setup s = server.setUp();
    long hook;
    try (Connection c = database(); PreparedStatement ps = c.prepareStatement("""
        INSERT INTO webhook (tenant_id, url, secret, events, created_at)
        SELECT id, 'http://100.100.100.200/latest/meta-data/', 'whsec_x', 'conversation.started', NOW(3)
        FROM tenant WHERE code = ?
        """, PreparedStatement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, s.tenant());
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        hook = keys.getLong(1);
      }
    }
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      server.assignedChat(s, agent, customer);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!outbox(hook).stream().anyMatch(r -> r.startsWith("GAVE_UP")) && System.nanoTime() < deadline) {
      assertNull(attempts.poll(100, TimeUnit.MILLISECONDS));
    }
    List<String> rows = outbox(hook);
    assertEquals(1, rows.size(), rows::toString);
    assertTrue(rows.get(0).startsWith("GAVE_UP 0 refused: 100.100.100.200 is 100.100.100.200, a cloud metadata"),
        rows.get(0));
  }
}
