package io.sangdam.channel;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.testing.Http;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestCluster;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outbox with two nodes: node-a owns the channel's center and delivers what it commits; an item given
 * up there reaches the agent connected to node-b ({@code deliveryFailed}); items node-a holds when it stops
 * are delivered by node-b, in order, none lost.
 */
class ChannelOutboundOnTwoNodesIT {
  private static final String TENANT = "chanout";

  @RegisterExtension
  static final TestCluster cluster = new TestCluster(2).with("webhooks.allowLoopback", "true")
      .with("channels.outboundRetrySeconds", "60").on("node-a", "cluster.centers", TENANT + "/seoul");

  /** What the channel's receiver answered 2xx, by text, in order; and every POST's text. */
  private final List<String> accepted = new CopyOnWriteArrayList<>();
  private final List<String> tried = new CopyOnWriteArrayList<>();
  private final AtomicBoolean up = new AtomicBoolean(true);

  @Test
  void aGivenUpItemReachesTheAgentOnTheOtherNodeAndTheOtherNodeGoesOnWhenTheFirstStops() throws IOException {
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/out", exchange -> {
      JsonNode body = Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String text = body.path("text").asText();
      tried.add(text);
      int status = text.equals("거절될 답변") ? 400 : up.get() ? 200 : 503;
      if (status == 200) {
        accepted.add(text);
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    receiver.start();
    TestServer a = cluster.node("node-a");
    TestServer b = cluster.node("node-b");
    try {
      String admin = a.adminToken();
      Http http = a.http();
      http.expect(201, "POST", "/api/tenants", admin, of("code", TENANT, "name", "Channels"));
      http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers", admin, of("code", "seoul", "name", "서울"));
      http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/seoul/queues", admin,
          of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 5));
      http.expect(201, "POST", "/api/tenants/" + TENANT + "/users", admin, of("username", "kim", "password",
          "agent-pass-1", "name", "김상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
      String secret = http.expect(201, "POST", "/api/tenants/" + TENANT + "/channels", admin, of("code", "app",
          "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl",
          "http://127.0.0.1:" + receiver.getAddress().getPort() + "/out")).path("secret").asText();
      eventually("seoul owned by node-a", () -> owner(a, admin).equals("node-a"));

      try (WsClient agent = b.agent()) {
        agent.send(of("type", "hello", "token", http.login(TENANT, "kim", "agent-pass-1"))).next("welcome");
        agent.send(of("type", "status", "status", "ONLINE")).until("status");
        byte[] bytes = of("user", "u-1", "mid", "m-1", "text", "문의").toString().getBytes(StandardCharsets.UTF_8);
        Http.Response r = b.http().sendSigned("POST", "/channels/" + TENANT + "/app/inbound", Map.of(
            InboundSignature.HEADER, InboundSignature.header(secret, Instant.now().getEpochSecond(), bytes)), bytes);
        assertEquals(200, r.status(), r.body().toString());
        long id = r.body().path("conversation").asLong();
        agent.until("assigned");

        long refused = send(agent, id, "거절될 답변");
        JsonNode failed = agent.until("deliveryFailed");
        assertEquals(id, failed.path("conversation").asLong());
        assertEquals(refused, failed.path("seq").asLong());
        assertEquals("status 400", failed.path("reason").asText());

        up.set(false);
        send(agent, id, "첫째");
        send(agent, id, "둘째");
        eventually("node-a tries them and holds them", () -> tried.contains("첫째")
            && "node-a".equals(claimedBy(a, id)));
        a.stop();
        up.set(true);
        eventually("node-b delivers what node-a held, in order", () -> List.copyOf(accepted),
            l -> l.containsAll(List.of("첫째", "둘째")), Duration.ofSeconds(60));
        assertEquals(List.of("첫째", "둘째"), accepted.stream().filter(t -> !t.equals("문의")).toList(),
            "each once, in order, after the one given up");
      }
    } finally {
      receiver.stop(0);
    }
  }

  private static long send(WsClient agent, long id, String text) {
    agent.send(of("type", "send", "conversation", id, "cmid", "a-" + text, "text", text));
    return agent.until("ack").path("seq").asLong();
  }

  private static String owner(TestServer node, String admin) {
    for (JsonNode n : node.http().expect(200, "GET", "/api/cluster", admin, null).path("nodes")) {
      for (JsonNode center : n.path("centers")) {
        if (center.asText().equals(TENANT + "/seoul")) {
          return n.path("name").asText();
        }
      }
    }
    return "";
  }

  private static String claimedBy(TestServer node, long conversation) {
    TestDatabase.Url db = node.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("SELECT claimed_by FROM channel_outbound WHERE conversation_id = ?")) {
      ps.setLong(1, conversation);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
