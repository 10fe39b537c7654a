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
import io.sangdam.channel.naver.FakeNaverPartnerApi;
import io.sangdam.channel.sms.SmsInbound;
import io.sangdam.testing.ChannelChecks;
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
 * scheduled retry: no other run takes the conversation meanwhile. And a restart of the server while the
 * partner fails: what was committed goes once the partner is back, each item once, in order (Kakao, Naver
 * TalkTalk and SMS here; the custom kind's is in ChannelOutboundIT).
 */
class ChannelPartnerOutageIT {
  private static final Duration OUTAGE = Duration.ofMinutes(10);
  private static final ManualTime time = new ManualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  /**
   * The conversations stay open and with their agent across the outage and the restart: no idle warning or
   * close, and no agent's grace period, falls due while time moves.
   */
  @RegisterExtension
  static final TestServer server = new TestServer().withTime(time).with("webhooks.allowLoopback", "true")
      .with("chat.idleWarningSeconds", "86400").with("chat.idleCloseSeconds", "86400")
      .with("routing.agentGraceSeconds", "86400");

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
        List<String> withQuestion = new ArrayList<>(owed);
        withQuestion.add(owed.get(owed.size() - 1) + "-r");
        assertEquals(withQuestion, dealer.taken(), "each once, in order, then the rating question with the end");
        assertTrue(dealer.attempts().subList(0, attempts).stream().allMatch(owed.get(0)::equals),
            "the first message tried across the outage, nothing after it overtaking it: " + dealer.attempts());
        assertNoneGivenUp(agent, s, "kakao", "KAKAO", attempts);
      }
    }
  }

  /**
   * A dealer that hangs on a send (its answer begun, never finished: no HTTP request timeout ends that) holds
   * the attempt no longer than {@link OutboundDeliveries#ATTEMPT}: the attempt is cut off then and tried again
   * after the backoff, well within the conversation's claim, and the message is taken once; the next follows.
   */
  @Test
  void aKakaoDealerHangingOnASendIsCutOffAfterAnAttemptsTimeAndTriedAgain() throws IOException {
    try (FakeKakaoDealer dealer = new FakeKakaoDealer()) {
      TestServer.Setup s = server.setUp();
      String secret = kakaoChannel(s, dealer);
      try (WsClient agent = online(s)) {
        long id = kakao(s, secret, agent, "uk-hang");
        dealer.hangNext();
        String first = "sd" + id + "-" + says(agent, id, "첫째");
        eventually("the dealer hangs on the first attempt", dealer::attempts, a -> a.contains(first));

        time.advance(OutboundDeliveries.ATTEMPT);
        eventually("the attempt cut off, to be tried again", () -> failedAttempts(id) == 1);
        String second = "sd" + id + "-" + says(agent, id, "둘째");
        time.advance(OutboundDeliveries.FIRST_BACKOFF);

        eventually("both delivered after the cut", dealer::taken, t -> t.size() == 2);
        assertEquals(List.of(first, second), dealer.taken(), "each once, in order");
        assertEquals(List.of(first, first, second), dealer.attempts());
      }
    }
  }

  /**
   * A center's owner commits a message of a channel conversation and dies (or stops) before its wake-up: the
   * conversation stays parked in the outbox. The node that takes the center up then sweeps the outbox at once,
   * and the message goes, without waiting for the minute's sweep (which this test's clock never reaches).
   */
  @Test
  void aMessageWhoseWakeUpWasLostGoesOnceItsCenterIsTakenUp() throws Exception {
    try (FakeKakaoDealer dealer = new FakeKakaoDealer()) {
      TestServer.Setup s = server.setUp();
      String secret = kakaoChannel(s, dealer);
      try (WsClient agent = online(s)) {
        long id = kakao(s, secret, agent, "uk-wake");
        String first = "sd" + id + "-" + says(agent, id, "첫째");
        eventually("the first delivered", dealer::taken, t -> t.contains(first));
        eventually("the conversation parked, owing nothing", () -> parked(id));

        // As its dead owner left it: the message committed, the conversation not woken.
        long seq = committedUnwoken(id, "둘째");
        long center = centerOf(id);
        server.centers().release(center).join();
        server.centers().adopt(center).join();

        eventually("the message delivered after the take-up", dealer::taken,
            t -> t.contains("sd" + id + "-" + seq));
        assertEquals(List.of(first, "sd" + id + "-" + seq), dealer.taken());
      }
    }
  }

  private static boolean parked(long conversation) {
    return select("SELECT next_attempt_at > TIMESTAMP'9000-01-01 00:00:00' FROM channel_outbound "
        + "WHERE conversation_id = ?", conversation) == 1;
  }

  private static long centerOf(long conversation) {
    return select("SELECT center_id FROM conversation WHERE id = ?", conversation);
  }

  /** Stores a system message in the conversation as a node's commit does, and nothing else: its seq. */
  private static long committedUnwoken(long conversation, String text) throws SQLException {
    long seq = select("SELECT MAX(seq) + 1 FROM message WHERE conversation_id = ?", conversation);
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("INSERT INTO message (conversation_id, seq, sender_kind, body, "
            + "created_at) VALUES (?, ?, 'SYSTEM', ?, ?)")) {
      ps.setLong(1, conversation);
      ps.setLong(2, seq);
      ps.setString(3, text);
      ps.setObject(4, java.time.LocalDateTime.ofInstant(time.instant(), java.time.ZoneOffset.UTC));
      ps.executeUpdate();
    }
    return seq;
  }

  private static long select(String sql, long arg) {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void naverTalkTalkAnswering503ForTenMinutesGetsEverythingInOrderAfter() throws IOException {
    try (FakeNaverPartnerApi naver = new FakeNaverPartnerApi("ct_outage_key")) {
      naver.unavailable(true);
      TestServer.Setup s = server.setUp();
      try (WsClient agent = online(s)) {
        long id = naver(s, naver, agent, "naver-out");
        List<String> said = List.of("첫째", "둘째", "셋째");
        said.forEach(text -> says(agent, id, text));
        agent.send(of("type", "close", "conversation", id)).until("closed");

        int attempts = rideOut(() -> naver.received().size(), () -> naver.unavailable(false));
        eventually("every message delivered", () -> naverTexts(naver).size(), n -> n >= attempts + 2);
        List<String> texts = naverTexts(naver);
        assertTrue(texts.subList(0, attempts).stream().allMatch("첫째"::equals), "the first tried across it: " + texts);
        List<String> withQuestion = new ArrayList<>(said);
        withQuestion.add(ChannelRatings.DEFAULT_TEXT);
        eventually("the rating question delivered as the end", () -> naverTexts(naver).size(),
            n -> n >= attempts - 1 + withQuestion.size());
        assertEquals(withQuestion, naverTexts(naver).subList(attempts - 1, naverTexts(naver).size()),
            "then each once, in order, and the rating question as the end");
        eventually("nothing more owed", () -> ChannelChecks.owes(server, id) == 0);
        assertNoneGivenUp(agent, s, "naver", "NAVER_TALKTALK", attempts);
      }
    }
  }

  @Test
  void anSmsGatewayAnswering503ForTenMinutesGetsEverythingInOrderAfter() throws IOException {
    try (SmsGateway gateway = new SmsGateway()) {
      gateway.down = true;
      TestServer.Setup s = server.setUp();
      try (WsClient agent = online(s)) {
        long id = sms(s, gateway, agent, "010-1111-0001");
        List<String> owed = new ArrayList<>();
        for (String text : List.of("첫째", "둘째", "셋째")) {
          owed.add(id + "-" + says(agent, id, text));
        }
        agent.send(of("type", "close", "conversation", id)).until("closed");

        int attempts = rideOut(() -> gateway.sent.size(), () -> gateway.down = false);
        eventually("every message delivered", gateway::taken, t -> t.size() >= owed.size());
        assertEquals(owed, gateway.taken(), "each once, in order");
        assertEquals(attempts + owed.size() - 1, gateway.sent.size(), "the first tried across it, the rest once");
        eventually("nothing more owed", () -> ChannelChecks.owes(server, id) == 0);
        assertNoneGivenUp(agent, s, "sms", "SMS", attempts);
      }
    }
  }

  @Test
  void aRestartWhilePartnersFailLosesNothingAndRepeatsNothing() throws IOException {
    try (FakeKakaoDealer dealer = new FakeKakaoDealer(); FakeNaverPartnerApi naver = new FakeNaverPartnerApi("ct_k");
        SmsGateway gateway = new SmsGateway()) {
      // A tenant each (an agent takes two chats at most in the setup's queue).
      TestServer.Setup k = server.setUp();
      TestServer.Setup n = server.setUp();
      TestServer.Setup m = server.setUp();
      String kakaoSecret = kakaoChannel(k, dealer);
      dealer.failNext(Integer.MAX_VALUE);
      naver.unavailable(true);
      gateway.down = true;
      long kakao;
      long talk;
      long text;
      List<String> kakaoOwed = new ArrayList<>();
      List<String> smsOwed = new ArrayList<>();
      try (WsClient kakaoAgent = online(k); WsClient naverAgent = online(n); WsClient smsAgent = online(m)) {
        kakao = kakao(k, kakaoSecret, kakaoAgent, "uk-restart");
        talk = naver(n, naver, naverAgent, "naver-restart");
        text = sms(m, gateway, smsAgent, "010-1111-0002");
        for (String said : List.of("재시작 전 1", "재시작 전 2", "재시작 전 3")) {
          kakaoOwed.add("sd" + kakao + "-" + says(kakaoAgent, kakao, said));
          says(naverAgent, talk, said);
          smsOwed.add(text + "-" + says(smsAgent, text, said));
        }
        eventually("each tried and failed before the stop", () -> failedAttempts(kakao) >= 1
            && failedAttempts(talk) >= 1 && failedAttempts(text) >= 1);
      }
      server.stop();
      dealer.failNext(0);
      naver.unavailable(false);
      gateway.down = false;
      server.start();
      // Past any retry the stopped run had set: due now, taken by the restarted run's poll.
      time.advance(Duration.ofMinutes(5));

      eventually("all delivered after the restart", () -> dealer.taken().size() >= 3 && gateway.taken().size() >= 3
          && naverTexts(naver).contains("재시작 전 3"));
      assertEquals(kakaoOwed, dealer.taken(), "Kakao: each once (by serial_number), in order");
      assertEquals(smsOwed, gateway.taken(), "SMS: each once (by refKey), in order");
      List<String> texts = naverTexts(naver);
      assertEquals(List.of("재시작 전 1", "재시작 전 2", "재시작 전 3"), texts.subList(texts.size() - 3, texts.size()),
          "Naver: in order, once the partner took them: " + texts);
      assertTrue(texts.subList(0, texts.size() - 3).stream().allMatch("재시작 전 1"::equals),
          "what failed before the stop was the first, tried again: " + texts);
    }
  }

  /** A tenant's KAKAO channel {@code kakao} on the dealer; its secret. */
  private static String kakaoChannel(TestServer.Setup s, FakeKakaoDealer dealer) {
    ObjectNode body = of("code", "kakao", "kind", "KAKAO", "center", s.center(), "queue", s.queue());
    dealer.settings().forEach(body::put);
    return server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(), body)
        .path("secret").asText();
  }

  /** A 상담 session of {@code user} ("사용자 메타 정보 수신"), assigned to the agent: its conversation. */
  private static long kakao(TestServer.Setup s, String secret, WsClient agent, String user) {
    Http.Response r = server.http().sendSigned("POST", "/channels/" + s.tenant() + "/kakao/kakao/reference",
        Map.of(KakaoInbound.CLIENT_ID, "kakao", KakaoInbound.CLIENT_SECRET, secret), of("user_key", user,
            "sender_key", FakeKakaoDealer.SENDER_KEY, "time", 1_700_000_000_000L, "session_id", "ses-" + user)
            .toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.status(), r.body().toString());
    long id = r.body().path("conversation").asLong();
    assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong());
    return id;
  }

  /** A NAVER_TALKTALK channel {@code naver} (made once per tenant) and {@code user}'s first message: the conversation. */
  private static long naver(TestServer.Setup s, FakeNaverPartnerApi naver, WsClient agent, String user) {
    ObjectNode body = of("code", "naver", "kind", "NAVER_TALKTALK", "center", s.center(), "queue", s.queue());
    FakeNaverPartnerApi.settings(naver).forEach(body::put);
    JsonNode created = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        body);
    Http.Response r = server.http().sendSigned("POST", created.path("inboundUrl").asText().replace("{secret}",
        created.path("secret").asText()), Map.of(), of("event", "send", "user", user, "textContent", of("text", "문의",
        "inputType", "typing")).toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.status(), r.body().toString());
    return agent.until("assigned").path("conversation").path("id").asLong();
  }

  /** The texts Naver's gateway was sent, in order (every attempt). */
  private static List<String> naverTexts(FakeNaverPartnerApi naver) {
    return naver.received().stream().map(r -> Json.parse(r.body()).path("textContent").path("text").asText())
        .toList();
  }

  /** An SMS channel {@code sms} on the gateway and a text from {@code number}, assigned: the conversation. */
  private static long sms(TestServer.Setup s, SmsGateway gateway, WsClient agent, String number) {
    String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "sms", "kind", "SMS", "center", s.center(), "queue", s.queue(), "gatewayUrl", gateway.url(),
            "bodyTemplate", SmsGateway.TEMPLATE, "fromNumber", "15880000", "authHeader",
            "Authorization: Bearer gw-token")).path("secret").asText();
    Http.Response r = server.http().sendSigned("POST", "/channels/" + s.tenant() + "/sms/sms",
        Map.of(SmsInbound.KEY_HEADER, secret), of("from", number, "text", "문의", "id", "gw-" + number).toString()
            .getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.status(), r.body().toString());
    long id = r.body().path("conversation").asLong();
    assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong());
    return id;
  }

  /**
   * An SMS gateway's send API as the SMS channel's template describes it (one JSON POST per part, with the
   * {@code refKey} it dedupes by): 503 while {@code down}.
   */
  private static final class SmsGateway implements AutoCloseable {
    static final String TEMPLATE =
        "{\"to\":\"{to}\",\"from\":\"{from}\",\"msgType\":\"{type}\",\"content\":\"{text}\",\"refKey\":\"{id}\"}";
    final HttpServer http;
    /** Each POST's refKey and the status it was answered, in order. */
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<String> accepted = new CopyOnWriteArrayList<>();
    volatile boolean down;

    SmsGateway() throws IOException {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext("/send", x -> {
        try (x) {
          JsonNode body = Json.parse(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          boolean ok = !down && "Bearer gw-token".equals(x.getRequestHeaders().getFirst("Authorization"));
          String ref = body.path("refKey").asText();
          sent.add(ref);
          if (ok) {
            accepted.add(ref);
          }
          x.sendResponseHeaders(ok ? 200 : 503, -1);
        }
      });
      http.start();
    }

    String url() {
      return "http://127.0.0.1:" + http.getAddress().getPort() + "/send";
    }

    /** The {@code <conversation>-<seq>} of each message taken, once each (by refKey, less its part), in order. */
    List<String> taken() {
      return accepted.stream().map(ref -> ref.substring(0, ref.lastIndexOf('-'))).distinct().toList();
    }

    @Override
    public void close() {
      http.stop(0);
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
      int expected = failed;
      // The attempt first, then its retry's timer: on a loaded machine another timer due in the same time could
      // be found before the attempt was made (seen once in CI: 3 attempts where 4 were due).
      eventually("one attempt at each of the backoff's times: " + expected, attempts::getAsInt, n -> n == expected);
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
