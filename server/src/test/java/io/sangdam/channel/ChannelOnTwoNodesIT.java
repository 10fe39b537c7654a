package io.sangdam.channel;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A channel's inbound requests reach a node that does not own the channel's center: the conversation
 * is started, written to and left through the owner, and the agent on the owner hears of each. A channel
 * user's first messages sent to both nodes at once open one conversation between them.
 */
class ChannelOnTwoNodesIT {
  private static final String TENANT = "chan";
  private static final String RACE = "race";
  private static final int ROUNDS = 12;

  @RegisterExtension
  static final TestCluster cluster = new TestCluster(2).on("node-a", "cluster.centers", TENANT + "/seoul")
      .on("node-b", "cluster.centers", RACE + "/seoul");

  private static Http.Response post(TestServer node, String secret, Object body) {
    return post(node, TENANT, secret, body);
  }

  /**
   * Posts as the partner does: a 503 {@code unavailable} (the user's conversation opened by the other node a moment
   * ago and not yet live here) is sent again with the same {@code mid}, a bounded number of times.
   */
  private static Http.Response post(TestServer node, String tenant, String secret, Object body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    Http.Response answer = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      answer = node.http().sendSigned("POST", "/channels/" + tenant + "/app/inbound", Map.of(InboundSignature.HEADER,
          InboundSignature.header(secret, Instant.now().getEpochSecond(), bytes)), bytes);
      if (answer.status() != 503 || !"unavailable".equals(answer.errorCode())) {
        return answer;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
    }
    return answer;
  }

  private static void awaitOwner(Http http, String admin, String center) {
    Eventually.eventually(center + " owned", () -> {
      for (JsonNode node : http.expect(200, "GET", "/api/cluster", admin, null).path("nodes")) {
        for (JsonNode owned : node.path("centers")) {
          if (owned.asText().equals(center)) {
            return true;
          }
        }
      }
      return false;
    });
  }

  /**
   * Round after round, one user's first messages reach node-a (forwarding to the owner, node-b) and node-b
   * at the same moment: as two messages (two quick ones, or two devices), or as one message's partner retry
   * on the other node. Each round opens exactly one conversation, holding each message once, at seqs 1
   * and up as their answers said; the user's leave then ends it, and the next round opens a new one.
   */
  @Test
  void firstMessagesOnBothNodesAtOnceOpenOneConversation() throws Exception {
    TestServer a = cluster.node("node-a");
    TestServer b = cluster.node("node-b");
    String admin = a.adminToken();
    Http http = a.http();
    http.expect(201, "POST", "/api/tenants", admin, of("code", RACE, "name", "Race"));
    http.expect(201, "POST", "/api/tenants/" + RACE + "/centers", admin, of("code", "seoul", "name", "서울"));
    http.expect(201, "POST", "/api/tenants/" + RACE + "/centers/seoul/queues", admin,
        of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 5));
    String secret = http.expect(201, "POST", "/api/tenants/" + RACE + "/channels", admin, of("code", "app",
        "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl", "http://192.0.2.1/out"))
        .path("secret").asText();
    awaitOwner(http, admin, RACE + "/seoul");

    ExecutorService senders = Executors.newFixedThreadPool(2);
    try {
      Set<Long> opened = new HashSet<>();
      for (int round = 0; round < ROUNDS; round++) {
        boolean retry = round % 2 == 1;
        String midA = "r" + round + "-a";
        String midB = retry ? midA : "r" + round + "-b";
        String textA = "문의 " + round;
        String textB = retry ? textA : "추가 " + round;
        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<Http.Response> toA = CompletableFuture.supplyAsync(() -> {
          await(together);
          return post(a, RACE, secret, of("user", "u-race", "mid", midA, "text", textA));
        }, senders);
        CompletableFuture<Http.Response> toB = CompletableFuture.supplyAsync(() -> {
          await(together);
          return post(b, RACE, secret, of("user", "u-race", "mid", midB, "text", textB));
        }, senders);
        Http.Response answerA = toA.get(30, TimeUnit.SECONDS);
        Http.Response answerB = toB.get(30, TimeUnit.SECONDS);
        String where = "round " + round + ": " + answerA.body() + " " + answerB.body();
        assertEquals(200, answerA.status(), where);
        assertEquals(200, answerB.status(), where);
        long id = answerA.body().path("conversation").asLong();
        assertEquals(id, answerB.body().path("conversation").asLong(), "one conversation, " + where);
        assertTrue(opened.add(id), "a new conversation each round, " + where);

        Map<Long, String> expected = new TreeMap<>();
        expected.put(answerA.body().path("seq").asLong(), midA + " " + textA);
        expected.put(answerB.body().path("seq").asLong(), midB + " " + textB);
        assertEquals(retry ? List.of(1L) : List.of(1L, 2L), List.copyOf(expected.keySet()), where);
        assertEquals(expected, transcript(a, id), "each message once, where its answer said, " + where);
        assertEquals(round + 1, conversations(a, RACE), "no other conversation, " + where);

        Http.Response left = post(round % 2 == 0 ? b : a, RACE, secret, of("user", "u-race", "mid", "r" + round
            + "-leave", "event", "leave"));
        assertEquals(200, left.status(), left.body().toString());
        assertEquals(id, left.body().path("conversation").asLong());
      }
    } finally {
      senders.shutdownNow();
    }
  }

  private static void await(CyclicBarrier together) {
    try {
      together.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The conversation's messages as stored: seq to cmid and text. */
  private static Map<Long, String> transcript(TestServer node, long conversation) throws SQLException {
    TestDatabase.Url db = node.database();
    Map<Long, String> stored = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("SELECT seq, cmid, body FROM message WHERE conversation_id = ?")) {
      ps.setLong(1, conversation);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.put(rs.getLong(1), rs.getString(2) + " " + rs.getString(3));
        }
      }
    }
    return stored;
  }

  private static int conversations(TestServer node, String tenant) throws SQLException {
    TestDatabase.Url db = node.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM conversation cv JOIN tenant t "
            + "ON t.id = cv.tenant_id WHERE t.code = ?")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Test
  void inboundOnAnotherNodeGoesThroughTheCentersOwner() {
    TestServer a = cluster.node("node-a");
    TestServer b = cluster.node("node-b");
    String admin = a.adminToken();
    Http http = a.http();
    http.expect(201, "POST", "/api/tenants", admin, of("code", TENANT, "name", "Channels"));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers", admin, of("code", "seoul", "name", "서울"));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/seoul/queues", admin,
        of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 5));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/users", admin, of("username", "kim", "password",
        "agent-pass-1", "name", "김상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
    String secret = http.expect(201, "POST", "/api/tenants/" + TENANT + "/channels", admin, of("code", "app",
        "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl", "http://192.0.2.1/out"))
        .path("secret").asText();
    Eventually.eventually("seoul owned by node-a", () -> {
      for (JsonNode node : http.expect(200, "GET", "/api/cluster", admin, null).path("nodes")) {
        for (JsonNode center : node.path("centers")) {
          if (node.path("name").asText().equals("node-a") && center.asText().equals(TENANT + "/seoul")) {
            return true;
          }
        }
      }
      return false;
    });

    try (WsClient agent = a.agent()) {
      agent.send(of("type", "hello", "token", http.login(TENANT, "kim", "agent-pass-1"))).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).until("status");

      Http.Response first = post(b, secret, of("user", "u-1", "mid", "m-1", "text", "안녕하세요"));
      assertEquals(200, first.status(), first.body().toString());
      long id = first.body().path("conversation").asLong();
      // Straight after the first answer: node-b finds the open conversation whether or not its copy of it
      // (from the owner's events) has arrived yet.
      Http.Response second = post(b, secret, of("user", "u-1", "mid", "m-2", "text", "카드 문의요"));
      assertEquals(200, second.status(), second.body().toString());
      assertEquals(id, second.body().path("conversation").asLong(), second.body().toString());
      assertEquals(2, second.body().path("seq").asLong());
      // Routing assigns while the messages are stored: the agent hears of the second as a message (before or
      // after the assignment) or as the assigned conversation's lastSeq.
      JsonNode assigned = null;
      boolean heardSecond = false;
      for (int frames = 0; frames < 6 && (assigned == null || !heardSecond && assigned.path("lastSeq").asLong() < 2);
          frames++) {
        JsonNode frame = agent.next();
        if (frame.path("type").asText().equals("assigned")) {
          assigned = frame.path("conversation");
        } else if (frame.path("type").asText().equals("message") && frame.path("seq").asLong() == 2) {
          assertEquals("카드 문의요", frame.path("text").asText());
          heardSecond = true;
        }
      }
      assertTrue(assigned != null, "assigned");
      assertEquals(id, assigned.path("id").asLong());
      assertEquals("app", assigned.path("channel").asText());
      assertTrue(heardSecond || assigned.path("lastSeq").asLong() >= 2, "the second message reached the agent");

      Http.Response left = post(b, secret, of("user", "u-1", "mid", "m-3", "event", "leave"));
      assertEquals(200, left.status(), left.body().toString());
      JsonNode closed = agent.until("closed");
      assertEquals(id, closed.path("conversation").asLong());
      assertTrue(closed.path("reason").asText().equals("customer") || closed.path("reason").asText()
          .equals("abandoned"), closed.toString());
    }
  }
}
