package io.sangdam.webhook;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.testing.Http;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tenant's webhook receives the conversation's events as signed JSON POSTs; a URL that fails is
 * tried again; a disabled or removed webhook gets nothing; bad registrations are refused.
 */
class WebhooksIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true");

  /** What the receiving system got: headers and body of each POST. */
  private record Delivery(String event, String id, String signature, String body) {}

  private HttpServer receiver;
  private final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
  /** The events of the witness, a second webhook: once it has them, every webhook that was to get them has. */
  private final BlockingQueue<String> witnessed = new LinkedBlockingQueue<>();
  private final AtomicInteger failuresToGive = new AtomicInteger();

  @BeforeEach
  void listen() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean fail = failuresToGive.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      if (!fail) {
        received.add(new Delivery(exchange.getRequestHeaders().getFirst("X-Sangdam-Event"),
            exchange.getRequestHeaders().getFirst("X-Sangdam-Delivery"),
            exchange.getRequestHeaders().getFirst("X-Sangdam-Signature"), body));
      }
      exchange.sendResponseHeaders(fail ? 500 : 204, -1);
      exchange.close();
    });
    receiver.createContext("/witness", exchange -> {
      exchange.getRequestBody().readAllBytes();
      witnessed.add(exchange.getRequestHeaders().getFirst("X-Sangdam-Event"));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  private Delivery next() throws InterruptedException {
    Delivery d = received.poll(15, TimeUnit.SECONDS);
    assertNotNull(d, "a delivery within 15 s");
    return d;
  }

  @Test
  void aChatsEventsArriveSignedAndAFailedDeliveryIsTriedAgain() throws Exception {
    TestServer.Setup s = server.setUp();
    String base = "/api/tenants/" + s.tenant() + "/webhooks";
    JsonNode hook = server.http().expect(201, "POST", base, s.adminToken(), of("url", url(), "events",
        List.of("conversation.started", "conversation.assigned", "conversation.closed", "message.created")));
    String secret = hook.path("secret").asText();
    assertTrue(secret.startsWith("whsec_"), "the secret is shown once, at registration");
    assertTrue(server.http().expect(200, "GET", base + "/" + hook.path("id").asLong(), s.adminToken(), null)
        .path("secret").isMissingNode(), "and never again");

    failuresToGive.set(1);
    long id;
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      id = server.assignedChat(s, agent, customer);
      customer.send(of("type", "send", "conversation", id, "cmid", "c1", "text", "카드가 안 돼요")).next("ack");
      agent.send(of("type", "close", "conversation", id)).until("closed");
    }
    Map<String, Delivery> byEvent = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      Delivery d = next();
      byEvent.put(d.event(), d);
      String[] parts = d.signature().split(",");
      long t = Long.parseLong(parts[0].substring(2));
      assertEquals(WebhookSignature.sign(secret, t, d.body().getBytes(StandardCharsets.UTF_8)), parts[1].substring(3),
          "the HMAC a receiver recomputes with its secret");
      JsonNode body = Json.parse(d.body());
      assertEquals(d.event(), body.path("event").asText());
      assertEquals(d.id(), body.path("id").asText());
      assertEquals(s.tenant(), body.path("tenant").asText());
      assertEquals(id, body.path("data").path("conversation").asLong());
    }
    assertEquals(Set.of("conversation.started", "conversation.assigned", "message.created", "conversation.closed"),
        byEvent.keySet(), "each event once, the one that met a 500 after its retry");
    assertEquals("카드가 안 돼요", Json.parse(byEvent.get("message.created").body()).path("data").path("text").asText());
    assertEquals("kim", Json.parse(byEvent.get("conversation.closed").body()).path("data").path("agent").asText());
    assertEquals("agent", Json.parse(byEvent.get("conversation.closed").body()).path("data").path("reason").asText());

    server.http().expect(200, "PUT", base + "/" + hook.path("id").asLong(), s.adminToken(), of("enabled", false));
    server.http().expect(201, "POST", base, s.adminToken(), of("url", url().replace("/hook", "/witness"),
        "events", List.of("conversation.started", "conversation.assigned")));
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      server.assignedChat(s, agent, customer);
    }
    assertEquals(Set.of("conversation.started", "conversation.assigned"),
        Set.of(witnessed.poll(15, TimeUnit.SECONDS), witnessed.poll(15, TimeUnit.SECONDS)));
    // Both webhooks' deliveries of an event are made and sent together: the witness has had its own.
    assertEquals(null, received.poll(200, TimeUnit.MILLISECONDS), "a disabled webhook gets nothing");
    server.http().expect(204, "DELETE", base + "/" + hook.path("id").asLong(), s.adminToken(), null);
    assertEquals(404, server.http().send("GET", base + "/" + hook.path("id").asLong(), s.adminToken(), null).status());
  }

  /**
   * A receiver that answers slowly holds at most {@value WebhookDeliveries#MAX_IN_FLIGHT} of the
   * server's requests; the others wait their turn and all arrive once it answers.
   */
  @Test
  void aSlowReceiverHoldsAtMostSixteenRequestsAndGetsEveryEventAfterwards() throws Exception {
    int messages = 30;
    CountDownLatch answer = new CountDownLatch(1);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ExecutorService handlers = Executors.newFixedThreadPool(messages + 4);
    slow.setExecutor(handlers);
    slow.createContext("/slow", exchange -> {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      arrived.add(exchange.getRequestHeaders().getFirst("X-Sangdam-Delivery"));
      try {
        answer.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inFlight.decrementAndGet();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    slow.start();
    try {
      TestServer.Setup s = server.setUp();
      server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/webhooks", s.adminToken(), of("url",
          "http://127.0.0.1:" + slow.getAddress().getPort() + "/slow", "events", List.of("message.created")));
      try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
        long id = server.assignedChat(s, agent, customer);
        for (int i = 0; i < messages; i++) {
          customer.send(of("type", "send", "conversation", id, "cmid", "m" + i, "text", "문의 " + i)).next("ack");
        }
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < WebhookDeliveries.MAX_IN_FLIGHT; i++) {
        seen.add(arrived.poll(15, TimeUnit.SECONDS));
      }
      assertNull(arrived.poll(1, TimeUnit.SECONDS), "a 17th request while 16 are unanswered");
      answer.countDown();
      for (int i = WebhookDeliveries.MAX_IN_FLIGHT; i < messages; i++) {
        seen.add(arrived.poll(15, TimeUnit.SECONDS));
      }
      seen.remove(null);
      assertEquals(messages, seen.size(), "every message, each once");
      assertEquals(WebhookDeliveries.MAX_IN_FLIGHT, mostInFlight.get());
    } finally {
      answer.countDown();
      slow.stop(0);
      handlers.shutdownNow();
    }
  }

  @Test
  void badRegistrationsAreRefusedAndOtherTenantsSeeNothing() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    Http http = server.http();
    String base = "/api/tenants/" + s.tenant() + "/webhooks";
    assertEquals(422, http.send("POST", base, s.adminToken(), of("url", "ftp://example.com/x", "events",
        List.of("message.created"))).status());
    assertEquals(422, http.send("POST", base, s.adminToken(), of("url", url(), "events", List.of("nope"))).status());
    assertEquals(422, http.send("POST", base, s.adminToken(), of("url", url(), "events", List.of())).status());
    assertEquals(422, http.send("POST", base, s.adminToken(), of("events", List.of("message.created"))).status());
    assertEquals(422, http.send("POST", base, s.adminToken(), of("url", "http://x/" + "a".repeat(500), "events",
        List.of("message.created"))).status());
    assertEquals(403, http.send("GET", base, s.agentToken(), null).status());
    long id = http.expect(201, "POST", base, s.adminToken(), of("url", url(), "events", List.of("message.created")))
        .path("id").asLong();
    assertEquals(404, http.send("GET", "/api/tenants/" + other.tenant() + "/webhooks/" + id, other.adminToken(), null)
        .status(), "another tenant's webhook is not there");
    assertEquals(422, http.send("PUT", base + "/" + id, s.adminToken(), of("events", List.of("all"))).status());
    JsonNode list = http.expect(200, "GET", base, s.adminToken(), null);
    assertEquals(1, list.size());
    assertFalse(list.get(0).has("secret"));
    assertEquals(List.of("message.created"), List.of(list.get(0).path("events").get(0).asText()));
  }
}
