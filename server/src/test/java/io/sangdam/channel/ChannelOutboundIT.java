package io.sangdam.channel;

import static io.sangdam.testing.ChannelChecks.assertInvalid;
import static io.sangdam.testing.ChannelChecks.assertRefused;
import static io.sangdam.testing.ChannelChecks.statsTotal;
import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.testing.Http;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The custom channel's outbound (PROTOCOL.md, "Channels (the custom kind)", its Outbound paragraph): every
 * agent and system message of a conversation started through the inbound webhook, and its end, is POSTed
 * to the channel's outboundUrl signed as the inbound is, in seq order, one at a time per conversation,
 * retried until the receiver answers 2xx (through 5xx, a receiver down, a restart of the server); a 4xx
 * gives the item up and tells the agent ({@code deliveryFailed}), and later items still go.
 */
class ChannelOutboundIT {
  /** Retries for 30 s at most: long enough for the outages here, short enough to end within a test. */
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true")
      .with("channels.outboundRetrySeconds", "30");

  private final List<Partner> partners = new ArrayList<>();

  @AfterEach
  void stopPartners() {
    partners.forEach(Partner::stop);
  }

  /** One POST the fake channel received: the body, and whether its signature checked with the channel's secret. */
  private record Received(JsonNode body, boolean signed, int answered) {
    long seq() {
      return body.path("seq").asLong();
    }

    String type() {
      return body.path("type").asText();
    }
  }

  /**
   * A company's own app behind the custom channel's outboundUrl, on 127.0.0.1: it checks the signature,
   * answers each POST with {@code answer}'s status, and notes when two POSTs of one conversation overlap.
   */
  private final class Partner {
    final HttpServer http;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final Map<Long, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final AtomicBoolean overlapped = new AtomicBoolean();
    volatile String secret = "";
    volatile ToIntFunction<JsonNode> answer = body -> 200;
    /** How long it takes to answer: to make overlapping POSTs of one conversation visible, if any were sent. */
    volatile Duration thinking = Duration.ZERO;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    Partner(int port) throws IOException {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      http.setExecutor(threads);
      http.createContext("/out", exchange -> {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        JsonNode body = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        AtomicInteger lane = inFlight.computeIfAbsent(body.path("conversation").asLong(), c -> new AtomicInteger());
        if (lane.incrementAndGet() > 1) {
          overlapped.set(true);
        }
        try {
          if (!thinking.isZero()) {
            Thread.sleep(thinking.toMillis());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        int status = answer.applyAsInt(body);
        boolean signed = new InboundSignature(Clock.systemUTC()).verifies(
            exchange.getRequestHeaders().getFirst(InboundSignature.HEADER), bytes, secret);
        received.add(new Received(body, signed, status));
        lane.decrementAndGet();
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
      });
      http.start();
      partners.add(this);
    }

    String url() {
      return "http://127.0.0.1:" + http.getAddress().getPort() + "/out";
    }

    /** What it answered 2xx, in the order it got them. */
    List<Received> accepted() {
      return received.stream().filter(r -> r.answered() / 100 == 2).toList();
    }

    void stop() {
      http.stop(0);
      threads.shutdownNow();
    }
  }

  /** A tenant's custom channel {@code app} sending to {@code url}, and an agent ONLINE for its queue. */
  private record Setup(TestServer.Setup s, String secret, WsClient agent) {}

  private static Setup channel(String url) {
    TestServer.Setup s = server.setUp();
    JsonNode created = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "app", "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl", url));
    WsClient agent = server.agent();
    agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
    agent.send(of("type", "status", "status", "ONLINE")).next("status");
    return new Setup(s, created.path("secret").asText(), agent);
  }

  /** The customer {@code user} writes through the inbound webhook; the conversation's id once the agent has it. */
  private static long customerWrites(Setup ch, String user, String text) {
    Http.Response r = signed(ch, of("user", user, "mid", "m-" + user + "-" + text.hashCode(), "text", text));
    assertEquals(200, r.status(), r.body().toString());
    return r.body().path("conversation").asLong();
  }

  /** {@code body} POSTed to the channel's inbound webhook, signed with its secret. */
  private static Http.Response signed(Setup ch, Object body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return server.http().sendSigned("POST", "/channels/" + ch.s().tenant() + "/app/inbound",
        Map.of(InboundSignature.HEADER, InboundSignature.header(ch.secret(), Instant.now().getEpochSecond(), bytes)),
        bytes);
  }

  private static long assigned(Setup ch, String user) {
    long id = customerWrites(ch, user, "문의드립니다");
    assertEquals(id, ch.agent().until("assigned").path("conversation").path("id").asLong());
    return id;
  }

  private static long agentSays(Setup ch, long id, String text) {
    ch.agent().send(of("type", "send", "conversation", id, "cmid", "a-" + text, "text", text));
    return ch.agent().until("ack").path("seq").asLong();
  }

  /** The seqs of the conversation's messages the channel is owed (not the customer's), from the transcript. */
  private static List<Long> owedSeqs(Setup ch, long id) {
    List<Long> seqs = new ArrayList<>();
    for (JsonNode m : server.http().expect(200, "GET", "/api/conversations/" + id, ch.s().adminToken(), null)
        .path("messages")) {
      if (!m.path("from").asText().equals("customer")) {
        seqs.add(m.path("seq").asLong());
      }
    }
    return seqs;
  }

  private static List<Long> seqs(List<Received> received, long conversation) {
    return received.stream().filter(r -> r.body().path("conversation").asLong() == conversation
        && r.type().equals("message")).map(Received::seq).toList();
  }

  @Test
  void anAgentsRepliesAndTheEndReachTheChannelSignedAndInOrder() throws IOException {
    Partner partner = new Partner(0);
    Setup ch = channel(partner.url());
    partner.secret = ch.secret();
    try (WsClient agent = ch.agent()) {
      long id = assigned(ch, "kakao-1");
      List<Long> said = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        said.add(agentSays(ch, id, "답변 " + i));
      }
      agent.send(of("type", "close", "conversation", id)).until("closed");

      eventually("the end delivered", () -> partner.accepted().stream().anyMatch(r -> r.type().equals("closed")));
      List<Received> got = partner.accepted();
      assertEquals(owedSeqs(ch, id), seqs(got, id), "every agent and system message once, in seq order");
      assertTrue(seqs(got, id).containsAll(said));
      assertTrue(got.stream().allMatch(Received::signed), "each signed with the channel's secret");
      Received first = got.stream().filter(r -> r.seq() == said.get(0) && r.type().equals("message")).findFirst()
          .orElseThrow();
      assertEquals("kakao-1", first.body().path("user").asText());
      assertEquals(id, first.body().path("conversation").asLong());
      assertEquals("agent", first.body().path("from").asText());
      assertFalse(first.body().path("name").asText().isEmpty(), "the agent's name: " + first.body());
      assertEquals("답변 1", first.body().path("text").asText());
      assertTrue(Instant.parse(first.body().path("at").asText()).isBefore(Instant.now().plusSeconds(1)));
      Received end = got.get(got.size() - 1);
      assertEquals("closed", end.type(), "the end last: " + got);
      assertEquals("agent", end.body().path("reason").asText());
      assertTrue(end.body().path("rate").asBoolean(), "an agent took it: the customer may rate it: " + end.body());
      assertEquals(said.get(said.size() - 1), end.seq(), "under the last message's seq");
      assertEquals(got.size(), metric(ch, "sangdam_channel_outbound_total", "delivered"));
      assertEquals(got.size(), metric(ch, "sangdam_channel_outbound_latency_seconds_count", null),
          "each delivery's time from its commit");
    }
  }

  @Test
  void aReceiverAnswering5xxIsTriedAgainKeepingTheOrderWithNothingSkippedOrRepeated() throws IOException {
    Partner partner = new Partner(0);
    AtomicInteger failures = new AtomicInteger(2);
    partner.answer = body -> failures.getAndDecrement() > 0 ? 503 : 200;
    Setup ch = channel(partner.url());
    partner.secret = ch.secret();
    try (WsClient agent = ch.agent()) {
      long id = assigned(ch, "kakao-2");
      for (int i = 1; i <= 4; i++) {
        agentSays(ch, id, "답변 " + i);
      }
      List<Long> owed = owedSeqs(ch, id);
      eventually("all delivered", () -> seqs(partner.accepted(), id).size(), n -> n >= owed.size(),
          Duration.ofSeconds(30));
      assertEquals(owed, seqs(partner.accepted(), id), "once each, in order");
      List<Long> tried = seqs(partner.received, id);
      for (int i = 1; i < tried.size(); i++) {
        assertTrue(tried.get(i) >= tried.get(i - 1), "never a later message before an earlier one: " + tried);
      }
      assertTrue(tried.size() > owed.size(), "the 503s were tried again: " + tried);
      assertFalse(partner.overlapped.get());
      assertEquals(2, metric(ch, "sangdam_channel_outbound_total", "retried"));
    }
  }

  @Test
  void aReceiverDownForAWhileGetsEverythingInOrderOnceUp() throws IOException, SQLException {
    int port;
    try (ServerSocket reserved = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = reserved.getLocalPort();
    }
    Setup ch = channel("http://127.0.0.1:" + port + "/out");
    try (WsClient agent = ch.agent()) {
      long id = assigned(ch, "kakao-3");
      for (int i = 1; i <= 3; i++) {
        agentSays(ch, id, "답변 " + i);
      }
      eventually("refused twice", () -> attempts(ch, id) >= 2);
      eventually("the outbox depth shows what waits", () -> metric(ch, "sangdam_channel_outbox_depth", null) >= 3);

      Partner partner = new Partner(port);
      partner.secret = ch.secret();
      List<Long> owed = owedSeqs(ch, id);
      eventually("all delivered once up", () -> seqs(partner.accepted(), id).size(), n -> n >= owed.size(),
          Duration.ofSeconds(30));
      assertEquals(owed, seqs(partner.accepted(), id));
      assertTrue(partner.received.stream().allMatch(Received::signed));
      eventually("and is empty after", () -> metric(ch, "sangdam_channel_outbox_depth", null) == 0);
    }
  }

  @Test
  void a4xxGivesTheMessageUpTellsTheAgentAndLaterMessagesStillGo() throws IOException {
    Partner partner = new Partner(0);
    partner.answer = body -> body.path("text").asText().equals("거절될 답변") ? 400 : 200;
    Setup ch = channel(partner.url());
    partner.secret = ch.secret();
    try (WsClient agent = ch.agent()) {
      long id = assigned(ch, "kakao-4");
      long refused = agentSays(ch, id, "거절될 답변");
      JsonNode failed = agent.until("deliveryFailed");
      assertEquals(id, failed.path("conversation").asLong());
      assertEquals(refused, failed.path("seq").asLong());
      assertEquals("message", failed.path("item").asText());
      assertEquals("status 400", failed.path("reason").asText());

      long later = agentSays(ch, id, "다음 답변");
      eventually("the later message delivered", () -> seqs(partner.accepted(), id).contains(later));
      assertEquals(1, seqs(partner.received, id).stream().filter(s -> s == refused).count(), "a 4xx is not retried");
      assertEquals(1, metric(ch, "sangdam_channel_outbound_total", "failed"));
    }
  }

  @Test
  void oneDeliveryAtATimePerConversation() throws IOException {
    Partner partner = new Partner(0);
    partner.thinking = Duration.ofMillis(100);
    Setup ch = channel(partner.url());
    partner.secret = ch.secret();
    try (WsClient agent = ch.agent()) {
      long id = assigned(ch, "kakao-5");
      for (int i = 1; i <= 6; i++) {
        agent.send(of("type", "send", "conversation", id, "cmid", "burst-" + i, "text", "답변 " + i));
      }
      for (int i = 1; i <= 6; i++) {
        agent.until("ack");
      }
      List<Long> owed = owedSeqs(ch, id);
      eventually("all delivered", () -> seqs(partner.accepted(), id).size() >= owed.size());
      assertEquals(owed, seqs(partner.accepted(), id));
      assertFalse(partner.overlapped.get(), "never two POSTs of one conversation at once");
    }
  }

  @Test
  void aRestartInTheMiddleOfDeliveriesLosesNothing() throws IOException {
    Partner partner = new Partner(0);
    AtomicBoolean up = new AtomicBoolean(false);
    partner.answer = body -> up.get() ? 200 : 503;
    Setup ch = channel(partner.url());
    partner.secret = ch.secret();
    long id;
    try (WsClient agent = ch.agent()) {
      id = assigned(ch, "kakao-6");
      for (int i = 1; i <= 3; i++) {
        agentSays(ch, id, "재시작 전 " + i);
      }
    }
    eventually("tried before the stop", () -> !partner.received.isEmpty());
    List<Long> owed = owedSeqs(ch, id);
    server.stop();
    up.set(true);
    server.start();

    eventually("all delivered after the restart", () -> seqs(partner.accepted(), id).size(), n -> n >= owed.size(),
        Duration.ofSeconds(30));
    assertEquals(owed, seqs(partner.accepted(), id), "each once, in order");
  }

  /**
   * The custom channel's rating event (PROTOCOL.md, "Ratings on channels"): refused while the conversation is
   * open (409), with a bad score (422), for a conversation not the user's (404); then it rates the closed
   * conversation as the widget's {@code rate} does (the agent told, the transcript and the channel's
   * statistics show it), a repeated mid is answered the same, another rating is {@code already_rated}; a text
   * "5" on the custom channel stays an ordinary message. A channel with {@code rating} off marks no end ratable
   * and takes no rating.
   */
  @Test
  void theAppRatesAClosedConversationOnceThroughTheSignedRatingEvent() throws IOException {
    Partner partner = new Partner(0);
    Setup ch = channel(partner.url());
    partner.secret = ch.secret();
    try (WsClient agent = ch.agent()) {
      long id = assigned(ch, "rater");
      agentSays(ch, id, "도와드렸습니다");
      assertRefused(409, "conflict", signed(ch, rating("rater", "r-open", id, 5)));

      agent.send(of("type", "close", "conversation", id)).until("closed");
      eventually("the end delivered", () -> partner.accepted().stream().anyMatch(r -> r.type().equals("closed")
          && r.body().path("conversation").asLong() == id));
      assertInvalid(signed(ch, rating("rater", "r-bad", id, 6)), "score");
      assertInvalid(signed(ch, of("user", "rater", "mid", "r-none", "event", "rating", "conversation", id)), "score");
      assertInvalid(signed(ch, of("user", "rater", "mid", "r-noid", "event", "rating", "score", 5)), "conversation");
      assertRefused(404, "not_found", signed(ch, rating("rater", "r-other", id + 1000, 5)));
      assertRefused(404, "not_found", signed(ch, rating("someone-else", "r-stranger", id, 5)));

      Http.Response rated = signed(ch, of("user", "rater", "mid", "r-1", "event", "rating", "conversation", id,
          "score", 4, "comment", "친절했어요"));
      assertEquals(200, rated.status(), rated.body().toString());
      assertEquals(id, rated.body().path("conversation").asLong());
      JsonNode told = agent.until("rated");
      assertEquals(id, told.path("conversation").asLong());
      assertEquals(4, told.path("score").asInt());
      Http.Response again = signed(ch, of("user", "rater", "mid", "r-1", "event", "rating", "conversation", id,
          "score", 4, "comment", "친절했어요"));
      assertEquals(200, again.status(), "a repeated mid is answered as the first time: " + again.body());
      assertRefused(409, "already_rated", signed(ch, rating("rater", "r-2", id, 1)));

      JsonNode csat = server.http().expect(200, "GET", "/api/conversations/" + id, ch.s().adminToken(), null)
          .path("csat");
      assertEquals(4, csat.path("score").asInt(), csat.toString());
      assertEquals("친절했어요", csat.path("comment").asText());
      eventually("counted under the channel", () -> statsTotal(server, ch.s(), "&channel=app")
          .path("csatResponses").asLong(), n -> n == 1);
      assertEquals(4.0, statsTotal(server, ch.s(), "&channel=app").path("csatAvg").asDouble());
      assertEquals(0, statsTotal(server, ch.s(), "&channel=web").path("csatResponses").asLong());

      long next = customerWrites(ch, "rater", "5");
      assertTrue(next != id, "the custom channel reads no score from a text: it opens a conversation");
      assertEquals(next, agent.until("assigned").path("conversation").path("id").asLong());
      agent.send(of("type", "close", "conversation", next)).until("closed");
    }

    server.http().expect(200, "PUT", "/api/tenants/" + ch.s().tenant() + "/channels/app", ch.s().adminToken(),
        of("rating", "off"));
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", ch.s().agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      long id = customerWrites(ch, "quiet", "문의드립니다");
      assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong());
      agent.send(of("type", "close", "conversation", id)).until("closed");
      eventually("the end delivered", () -> partner.accepted().stream().anyMatch(r -> r.type().equals("closed")
          && r.body().path("conversation").asLong() == id));
      assertFalse(partner.accepted().stream().filter(r -> r.body().path("conversation").asLong() == id)
          .anyMatch(r -> r.body().has("rate")), "rating off: no end is ratable");
      assertRefused(409, "conflict", signed(ch, rating("quiet", "q-1", id, 5)));
    }
  }

  private static JsonNode rating(String user, String mid, long conversation, int score) {
    return of("user", user, "mid", mid, "event", "rating", "conversation", conversation, "score", score);
  }

  /** A series of the channel {@code app} of the setup's tenant in /metrics ({@code result} null: a series without it); 0 when absent. */
  private static double metric(Setup ch, String name, String result) {
    String text = new String(server.http().download("/metrics", null).body(), StandardCharsets.UTF_8);
    String tags = "{channel=\"app\",kind=\"CUSTOM\"," + (result == null ? "" : "result=\"" + result + "\",")
        + "tenant=\"" + ch.s().tenant() + "\"}";
    return text.lines().filter(l -> l.startsWith(name + tags)).mapToDouble(l -> Double.parseDouble(
        l.substring((name + tags).length()).trim())).findFirst().orElse(0);
  }

  private static int attempts(Setup ch, long conversation) {
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
}
