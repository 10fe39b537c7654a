package io.sangdam.channel;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.channel.kakao.FakeKakaoDealer;
import io.sangdam.channel.kakao.KakaoInbound;
import io.sangdam.testing.Http;
import io.sangdam.testing.Json;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A partner down for more than 10 minutes (issue 16), on the server's clock and timers, which the test moves
 * (no test waits 10 minutes): the first item is tried at the backoff's times (1 s, 2 s, 4 s ... 5 min), about
 * eleven attempts across the outage rather than hundreds; none is given up; once the partner is back, every
 * item arrives once, in order, the end last. The claims stay on the database's real clock, renewed past each
 * scheduled retry: no other run takes the conversation meanwhile.
 */
class ChannelPartnerOutageIT {
  private static final Duration OUTAGE = Duration.ofMinutes(10);
  private static final ManualTime time = new ManualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  /** The conversations stay open across the outage: no idle warning or close falls due while time moves. */
  @RegisterExtension
  static final TestServer server = new TestServer().withTime(time).with("webhooks.allowLoopback", "true")
      .with("chat.idleWarningSeconds", "86400").with("chat.idleCloseSeconds", "86400");

  @Test
  void aCustomChannelRefusingConnectionsForTenMinutesGetsEverythingInOrderAfter() throws IOException {
    int port;
    try (ServerSocket reserved = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = reserved.getLocalPort();
    }
    TestServer.Setup s = server.setUp();
    String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "app", "kind", "CUSTOM", "center", s.center(), "queue", s.queue(), "outboundUrl",
            "http://127.0.0.1:" + port + "/out")).path("secret").asText();
    List<String> accepted = new CopyOnWriteArrayList<>();
    HttpServer[] partner = new HttpServer[1];
    try (WsClient agent = online(s)) {
      byte[] bytes = of("user", "u-1", "mid", "m-1", "text", "문의").toString().getBytes(StandardCharsets.UTF_8);
      Http.Response r = server.http().sendSigned("POST", "/channels/" + s.tenant() + "/app/inbound",
          Map.of(InboundSignature.HEADER, InboundSignature.header(secret, time.instant().getEpochSecond(), bytes)),
          bytes);
      assertEquals(200, r.status(), r.body().toString());
      long id = r.body().path("conversation").asLong();
      agent.until("assigned");
      List<Long> said = List.of(says(agent, id, "첫째"), says(agent, id, "둘째"), says(agent, id, "셋째"));
      agent.send(of("type", "close", "conversation", id)).until("closed");

      int attempts = rideOut(() -> failedAttempts(id), () -> {
        partner[0] = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        partner[0].createContext("/out", x -> {
          JsonNode body = Json.parse(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          accepted.add(body.path("type").asText() + " " + body.path("seq").asLong());
          x.sendResponseHeaders(200, -1);
          x.close();
        });
        partner[0].start();
      });
      eventually("the end delivered", () -> accepted.contains("closed " + said.get(2)));
      assertEquals(List.of("message " + said.get(0), "message " + said.get(1), "message " + said.get(2),
          "closed " + said.get(2)), accepted, "each once, in order, the end last");
      assertNoneGivenUp(agent, s, "app", "CUSTOM", attempts);
    } finally {
      if (partner[0] != null) {
        partner[0].stop(0);
      }
    }
  }

  @Test
  void aKakaoDealerAnswering503ForTenMinutesGetsEverythingInOrderAfter() throws IOException {
    try (FakeKakaoDealer dealer = new FakeKakaoDealer()) {
      TestServer.Setup s = server.setUp();
      ObjectNode body = of("code", "kakao", "kind", "KAKAO", "center", s.center(), "queue", s.queue());
      dealer.settings().forEach(body::put);
      String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
          body).path("secret").asText();
      dealer.failNext(Integer.MAX_VALUE);
      try (WsClient agent = online(s)) {
        Http.Response r = server.http().sendSigned("POST", "/channels/" + s.tenant() + "/kakao/kakao/reference",
            Map.of(KakaoInbound.CLIENT_ID, "kakao", KakaoInbound.CLIENT_SECRET, secret), of("user_key", "uk-out",
                "sender_key", FakeKakaoDealer.SENDER_KEY, "time", 1_700_000_000_000L, "session_id", "ses-out")
                .toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.body().toString());
        long id = r.body().path("conversation").asLong();
        agent.until("assigned");
        List<String> owed = new ArrayList<>();
        for (String text : List.of("첫째", "둘째", "셋째")) {
          owed.add("sd" + id + "-" + says(agent, id, text));
        }
        agent.send(of("type", "close", "conversation", id)).until("closed");

        int attempts = rideOut(() -> dealer.attempts().size(), () -> dealer.failNext(0));
        eventually("the 상담 session ended at the dealer", () -> dealer.ended().contains("uk-out"));
        assertEquals(owed, dealer.taken(), "each once, in order");
        assertTrue(dealer.attempts().subList(0, attempts).stream().allMatch(owed.get(0)::equals),
            "the first message tried across the outage, nothing after it overtaking it: " + dealer.attempts());
        assertNoneGivenUp(agent, s, "kakao", "KAKAO", attempts);
      }
    }
  }

  /**
   * Rides out an outage of more than {@link #OUTAGE} from the first failed attempt: waits for each failure's
   * retry to be set, at the backoff's wait, and moves the server's time to it; brings the partner back once
   * the outage has lasted long enough. {@code attempts}: the first item's attempts the partner saw so far.
   * Returns the attempts made until the partner was back (the one that got through among them).
   */
  private static int rideOut(IntSupplier attempts, ThrowingRunnable partnerBack) throws IOException {
    Duration down = Duration.ZERO;
    for (int failed = 1; ; failed++) {
      Duration wait = OutboundDeliveries.backoff(failed);
      time.awaitTaskDueIn(wait);
      assertEquals(failed, attempts.getAsInt(), "one attempt at each of the backoff's times");
      down = down.plus(wait);
      if (down.compareTo(OUTAGE) > 0) {
        partnerBack.run();
        time.advance(wait);
        return failed + 1;
      }
      time.advance(wait);
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws IOException;
  }

  /** Nothing given up, no deliveryFailed; {@code attempts - 1} retries counted, the last attempt delivered. */
  private static void assertNoneGivenUp(WsClient agent, TestServer.Setup s, String channel, String kind,
      int attempts) {
    assertTrue(attempts >= 10 && attempts <= 12, "about eleven attempts across the outage: " + attempts);
    eventually("the retries counted", () -> metric(s, channel, kind, "retried"), n -> n == attempts - 1);
    assertEquals(0, metric(s, channel, kind, "failed"), "none given up");
    assertTrue(agent.drain().stream().noneMatch(m -> m.path("type").asText().equals("deliveryFailed")));
  }

  /** The failed attempts of the conversation's next item, as the outbox holds them. */
  private static int failedAttempts(long conversation) {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("SELECT attempts FROM channel_outbound WHERE conversation_id = ?")) {
      ps.setLong(1, conversation);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static WsClient online(TestServer.Setup s) {
    WsClient agent = server.agent();
    agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
    agent.send(of("type", "status", "status", "ONLINE")).next("status");
    return agent;
  }

  private static long says(WsClient agent, long id, String text) {
    agent.send(of("type", "send", "conversation", id, "cmid", "a-" + text, "text", text));
    return agent.until("ack").path("seq").asLong();
  }

  private static double metric(TestServer.Setup s, String channel, String kind, String result) {
    String text = new String(server.http().download("/metrics", null).body(), StandardCharsets.UTF_8);
    String name = "sangdam_channel_outbound_total{channel=\"" + channel + "\",kind=\"" + kind + "\",result=\""
        + result + "\",tenant=\"" + s.tenant() + "\"}";
    return text.lines().filter(l -> l.startsWith(name)).mapToDouble(l -> Double.parseDouble(
        l.substring(name.length()).trim())).findFirst().orElse(0);
  }
}
