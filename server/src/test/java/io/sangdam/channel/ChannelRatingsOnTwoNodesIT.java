package io.sangdam.channel;

import static io.sangdam.testing.ChannelChecks.owes;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.channel.kakao.FakeKakaoDealer;
import io.sangdam.channel.kakao.KakaoInbound;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A KakaoTalk customer answers the rating question twice at once, each answer reaching another node (a double
 * send, or two scores): both nodes answer as one node would with the two in line. The same bare score twice
 * is the one rating, answered as such, with nothing stored; two different scores rate with one of them, and
 * the other is an ordinary message that opens a conversation. Never a 409 the dealer cannot act on.
 */
class ChannelRatingsOnTwoNodesIT {
  private static final String TENANT = "rates";
  private static final int ROUNDS = 6;
  private static final Duration DELIVERY = Duration.ofSeconds(30);

  @RegisterExtension
  static final TestCluster cluster = new TestCluster(2).with("webhooks.allowLoopback", "true")
      .on("node-a", "cluster.centers", TENANT + "/seoul");

  @Test
  void twoScoresAtOnceOnTwoNodesAreAnsweredAsOneNodeWouldInLine() throws Exception {
    TestServer a = cluster.node("node-a");
    TestServer b = cluster.node("node-b");
    String admin = a.adminToken();
    Http http = a.http();
    http.expect(201, "POST", "/api/tenants", admin, of("code", TENANT, "name", "Ratings"));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers", admin, of("code", "seoul", "name", "서울"));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/seoul/queues", admin,
        of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 20));
    http.expect(201, "POST", "/api/tenants/" + TENANT + "/users", admin, of("username", "kim", "password",
        "agent-pass-1", "name", "김상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
    ExecutorService senders = Executors.newFixedThreadPool(2);
    try (FakeKakaoDealer dealer = new FakeKakaoDealer(); WsClient agent = a.agent()) {
      ObjectNode channel = of("code", "kakao", "kind", "KAKAO", "center", "seoul", "queue", "card");
      dealer.settings().forEach(channel::put);
      String secret = http.expect(201, "POST", "/api/tenants/" + TENANT + "/channels", admin, channel)
          .path("secret").asText();
      Map<String, String> keys = Map.of(KakaoInbound.CLIENT_ID, "kakao", KakaoInbound.CLIENT_SECRET, secret);
      Eventually.eventually("the center owned", () -> http.expect(200, "GET", "/api/cluster", admin, null)
          .path("nodes").toString().contains(TENANT + "/seoul"));
      agent.send(of("type", "hello", "token", http.login(TENANT, "kim", "agent-pass-1"))).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).until("status");

      for (int round = 0; round < ROUNDS; round++) {
        boolean same = round % 2 == 0;
        String user = "uk-r" + round;
        JsonNode opened = write(a, keys, user, user + "-1", "문의드립니다");
        long rated = opened.path("conversation").asLong();
        assigned(agent, rated);
        agent.send(of("type", "close", "conversation", rated)).until("closed");
        Eventually.eventually("the question asked and the session ended", () -> owes(a, rated), n -> n == 0,
            DELIVERY);

        String textA = "5";
        String textB = same ? "5" : "4";
        CyclicBarrier together = new CyclicBarrier(2);
        CompletableFuture<JsonNode> toA = CompletableFuture.supplyAsync(() -> {
          await(together);
          return write(a, keys, user, user + "-a", textA);
        }, senders);
        CompletableFuture<JsonNode> toB = CompletableFuture.supplyAsync(() -> {
          await(together);
          return write(b, keys, user, user + "-b", textB);
        }, senders);
        JsonNode answerA = toA.get(30, TimeUnit.SECONDS);
        JsonNode answerB = toB.get(30, TimeUnit.SECONDS);
        String where = "round " + round + ": " + answerA + " " + answerB;

        if (same) {
          assertEquals(rated, answerA.path("conversation").asLong(), where);
          assertEquals(rated, answerB.path("conversation").asLong(), where);
          assertTrue(answerA.path("seq").isMissingNode() && answerB.path("seq").isMissingNode(), where);
          assertEquals(5, rating(a, rated), where);
          assertEquals(1, conversations(a, user), "nothing opened, " + where);
        } else {
          boolean aRated = answerA.path("conversation").asLong() == rated;
          JsonNode rating = aRated ? answerA : answerB;
          JsonNode message = aRated ? answerB : answerA;
          assertEquals(rated, rating.path("conversation").asLong(), where);
          assertTrue(rating.path("seq").isMissingNode(), where);
          assertEquals(aRated ? 5 : 4, rating(a, rated), "rated by the score answered so, " + where);
          long other = message.path("conversation").asLong();
          assertNotEquals(rated, other, where);
          assertEquals(1, message.path("seq").asLong(), "the other score opened a conversation, " + where);
          assigned(agent, other);
          agent.send(of("type", "close", "conversation", other)).until("closed");
        }
      }
    } finally {
      senders.shutdownNow();
    }
  }

  private static JsonNode write(TestServer node, Map<String, String> keys, String user, String serial,
      String text) {
    Http.Response r = node.http().sendSigned("POST", "/channels/" + TENANT + "/kakao/kakao/message", keys,
        of("user_key", user, "sender_key", FakeKakaoDealer.SENDER_KEY, "serial_number", serial, "type", "text",
            "content", text).toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.status(), text + " on " + node + ": " + r.body());
    return r.body();
  }

  /** Waits for the conversation's assignment among the agent's frames. */
  private static void assigned(WsClient agent, long conversation) {
    for (int frames = 0; frames < 50; frames++) {
      JsonNode frame = agent.until("assigned");
      if (frame.path("conversation").path("id").asLong() == conversation) {
        return;
      }
    }
    throw new AssertionError("conversation " + conversation + " never assigned");
  }

  private static void await(CyclicBarrier together) {
    try {
      together.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int rating(TestServer node, long conversation) throws SQLException {
    return query(node, "SELECT COALESCE(csat_score, 0) FROM conversation WHERE id = ?", conversation);
  }

  private static int conversations(TestServer node, String user) throws SQLException {
    // The customer's key is sealed: found by its blind index.
    return query(node, "SELECT COUNT(*) FROM conversation c JOIN customer cu ON cu.id = c.customer_id "
        + "WHERE cu.channel_user_index = ?", node.fieldCipher().channelUserIndex(user));
  }

  private static int query(TestServer node, String sql, Object arg) throws SQLException {
    TestDatabase.Url db = node.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
