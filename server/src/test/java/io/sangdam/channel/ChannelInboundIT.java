package io.sangdam.channel;

import static io.sangdam.testing.ChannelChecks.assertInvalid;
import static io.sangdam.testing.ChannelChecks.assertRefused;
import static io.sangdam.testing.ChannelChecks.inboundCount;
import static io.sangdam.testing.ChannelChecks.stored;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
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
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The custom channel's inbound webhook (PROTOCOL.md, "Channels (the custom kind)"): a signed message
 * opens a routed conversation an agent answers, later ones join it, a repeated mid stores nothing and
 * is answered the same, a leave ends it; every bad request is refused as the contract says and stores
 * nothing.
 */
class ChannelInboundIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("http.maxRequestBytes", "8192");

  /** A tenant with a CUSTOM channel {@code app} into seoul/card; its secret. */
  private record Channel(TestServer.Setup setup, String secret) {
    String inbound() {
      return "/channels/" + setup.tenant() + "/app/inbound";
    }
  }

  private static Channel channel() {
    TestServer.Setup s = server.setUp();
    JsonNode created = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "app", "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl",
            "http://192.0.2.1/out"));
    return new Channel(s, created.path("secret").asText());
  }

  private static Http.Response post(Channel ch, Object body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return post(ch.inbound(), InboundSignature.header(ch.secret(), Instant.now().getEpochSecond(), bytes), bytes);
  }

  private static Http.Response post(String path, String signature, byte[] body) {
    return server.http().sendSigned("POST", path, signature == null ? Map.of()
        : Map.of(InboundSignature.HEADER, signature), body);
  }

  private static JsonNode ok(Http.Response r) {
    assertEquals(200, r.status(), r.body().toString());
    return r.body();
  }

  @Test
  void aSignedMessageStartsARoutedConversationThatAnAgentAnswersAndTheCustomerLeaves() throws SQLException {
    Channel ch = channel();
    TestServer.Setup s = ch.setup();
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");

      JsonNode first = ok(post(ch, of("user", "kakao-1", "name", "홍길동", "mid", "m-1", "text", "카드가 안 돼요")));
      long id = first.path("conversation").asLong();
      assertEquals(1, first.path("seq").asLong());

      // The first message is stored with the conversation: the agent hears of it as the assigned conversation's
      // lastSeq (or as a message too, should its event reach the agent after the assignment).
      JsonNode assigned = null;
      boolean heardFirst = false;
      for (int frames = 0; frames < 3 && (assigned == null || !heardFirst && assigned.path("lastSeq").asLong() < 1);
          frames++) {
        JsonNode frame = agent.next();
        if (frame.path("type").asText().equals("assigned")) {
          assigned = frame.path("conversation");
        } else {
          assertEquals("message", frame.path("type").asText(), frame.toString());
          assertEquals(1, frame.path("seq").asLong());
          assertEquals("카드가 안 돼요", frame.path("text").asText());
          heardFirst = true;
        }
      }
      assertTrue(assigned != null, "assigned");
      assertEquals(id, assigned.path("id").asLong());
      assertEquals("app", assigned.path("channel").asText());
      assertEquals("홍길동", assigned.path("customer").path("name").asText());
      assertFalse(assigned.has("customerOnline"), "a channel's customer has no socket: " + assigned);

      agent.send(of("type", "send", "conversation", id, "cmid", "a-1", "text", "확인해 드리겠습니다"));
      assertEquals(2, agent.next("ack").path("seq").asLong());

      JsonNode second = ok(post(ch, of("user", "kakao-1", "mid", "m-2", "text", "감사합니다")));
      assertEquals(id, second.path("conversation").asLong(), "the open conversation, not a new one");
      assertEquals(3, second.path("seq").asLong());
      JsonNode atAgent = agent.next("message");
      assertEquals(3, atAgent.path("seq").asLong());
      assertEquals("customer", atAgent.path("from").asText());
      assertEquals("감사합니다", atAgent.path("text").asText());

      assertEquals(second, ok(post(ch, of("user", "kakao-1", "mid", "m-2", "text", "감사합니다"))),
          "a repeated mid is answered the same");
      assertEquals(first, ok(post(ch, of("user", "kakao-1", "name", "홍길동", "mid", "m-1", "text", "카드가 안 돼요"))));
      assertTrue(agent.quietFor(300), "and the agent is told nothing more");

      assertEquals(List.of("app", "kakao-1"), where(id), "the conversation keeps its channel and the customer's key");
      JsonNode transcript = server.http().expect(200, "GET", "/api/conversations/" + id, s.adminToken(), null);
      assertEquals("app", transcript.path("channel").asText());
      assertEquals(3, transcript.path("messages").size(), "each message stored once: " + transcript);

      JsonNode left = ok(post(ch, of("user", "kakao-1", "mid", "m-3", "event", "leave")));
      assertEquals(id, left.path("conversation").asLong());
      assertFalse(left.has("seq"));
      JsonNode closed = agent.until("closed");
      assertEquals(id, closed.path("conversation").asLong());
      assertEquals("customer", closed.path("reason").asText());
      assertEquals(left, ok(post(ch, of("user", "kakao-1", "mid", "m-3", "event", "leave"))), "a repeated leave too");

      JsonNode again = ok(post(ch, of("user", "kakao-1", "mid", "m-4", "text", "또 문의드려요")));
      assertNotEquals(id, again.path("conversation").asLong(), "after the end, a new conversation");
      assertEquals(1, again.path("seq").asLong());
      assertEquals("app", server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/conversations",
          s.adminToken(), null).path("conversations").get(0).path("channel").asText());
    }
  }

  @Test
  void aUsersMessagesSentAtOnceOpenOneConversationAndAreEachStoredOnce() throws Exception {
    Channel ch = channel();
    int count = 6;
    List<CompletableFuture<Http.Response>> sent = new ArrayList<>();
    ExecutorService senders = Executors.newFixedThreadPool(count);
    try {
      for (int i = 1; i <= count; i++) {
        Object body = of("user", "u-1", "mid", "m-" + i, "text", "메시지 " + i);
        sent.add(CompletableFuture.supplyAsync(() -> post(ch, body), senders));
      }
      Set<Long> conversations = new HashSet<>();
      Set<Long> seqs = new TreeSet<>();
      for (CompletableFuture<Http.Response> r : sent) {
        JsonNode answer = ok(r.get(30, TimeUnit.SECONDS));
        conversations.add(answer.path("conversation").asLong());
        seqs.add(answer.path("seq").asLong());
      }
      assertEquals(1, conversations.size(), "one conversation: " + conversations);
      assertEquals(LongStream.rangeClosed(1, count).boxed().toList(), List.copyOf(seqs));
      assertEquals(List.of(1, 1, count), stored(server, ch.setup().tenant()));
    } finally {
      senders.shutdownNow();
    }
  }

  @Test
  void aRepeatWhoseKeptAnswerIsGoneStillStoresNothing() throws SQLException {
    Channel ch = channel();
    String tenant = ch.setup().tenant();
    JsonNode first = ok(post(ch, of("user", "u-1", "mid", "m-1", "text", "안녕하세요")));
    ok(post(ch, of("user", "u-1", "mid", "m-2", "event", "leave")));
    // As after a week, or a stop between the message's commit and the keeping of its answer.
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("DELETE i FROM channel_inbound i JOIN channel ch "
            + "ON ch.id = i.channel_id JOIN tenant t ON t.id = ch.tenant_id WHERE t.code = ?")) {
      ps.setString(1, tenant);
      assertEquals(2, ps.executeUpdate());
    }
    assertEquals(first, ok(post(ch, of("user", "u-1", "mid", "m-1", "text", "안녕하세요"))));
    assertEquals(List.of(1, 1, 0), stored(server, tenant), "no second conversation");
  }

  /**
   * The first message is stored with its conversation, so the agent is offered it with the message, never
   * empty; while it is open the database holds its customer's key (V021), and the agent's close clears it,
   * so the user's next message opens a new conversation instead of being refused.
   */
  @Test
  void theFirstMessageComesWithItsConversationAndTheCloseLetsTheNextOpenANewOne() throws SQLException {
    Channel ch = channel();
    TestServer.Setup s = ch.setup();
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");

      long id = ok(post(ch, of("user", "u-1", "mid", "m-1", "text", "안녕하세요"))).path("conversation").asLong();
      JsonNode assigned = agent.until("assigned").path("conversation");
      assertEquals(id, assigned.path("id").asLong());
      assertEquals(1, assigned.path("lastSeq").asLong(), "offered with its first message: " + assigned);
      assertEquals(customerOf(id), openKey(id), "the customer's open conversation holds the key");

      agent.send(of("type", "close", "conversation", id)).until("closed");
      assertEquals(null, openKey(id), "the close clears it");

      JsonNode next = ok(post(ch, of("user", "u-1", "mid", "m-2", "text", "또 문의드려요")));
      assertNotEquals(id, next.path("conversation").asLong(), "a new conversation");
      assertEquals(1, next.path("seq").asLong());
      assertEquals(customerOf(id), openKey(next.path("conversation").asLong()), "which holds it now");
    }
  }

  @Test
  void aWidgetConversationIsOnTheWebChannel() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
      JsonNode started = customer.send(of("type", "start", "queue", s.queue())).next("started").path("conversation");
      assertEquals("web", started.path("channel").asText());
      JsonNode assigned = agent.until("assigned").path("conversation");
      assertEquals("web", assigned.path("channel").asText());
      assertTrue(assigned.path("customerOnline").asBoolean());
    }
  }

  @Test
  void aChannelsCustomerIsNeverAbandonedForWantOfASocket() {
    Channel ch = channel();
    TestServer.Setup s = ch.setup();
    // A grace of one second: a widget customer without a socket would be abandoned at once.
    server.http().expect(200, "PUT", "/api/tenants/" + s.tenant() + "/centers/seoul/settings", s.adminToken(),
        of("customerGraceSeconds", 1));
    long id = ok(post(ch, of("user", "sms-1", "mid", "m-1", "text", "상담 원해요"))).path("conversation").asLong();
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      // Assigned and not yet answered, without a customer socket: a widget conversation would be abandoned
      // after the grace (Inactivity.assigned starts the abandon clock for an absent customer).
      JsonNode assigned = agent.until("assigned").path("conversation");
      assertEquals(id, assigned.path("id").asLong());
      assertTrue(agent.quietFor(2_500), "no abandon while assigned and unanswered either");
      assertEquals("ASSIGNED", server.http().expect(200, "GET", "/api/conversations/" + id, s.adminToken(), null)
          .path("state").asText());
    }
  }

  @Test
  void badRequestsAreRefusedAsTheContractSaysAndStoreNothing() throws SQLException {
    Channel ch = channel();
    String tenant = ch.setup().tenant();
    byte[] good = of("user", "u-1", "mid", "m-1", "text", "안녕하세요").toString().getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    double badSignatures = inboundCount(server, "bad_signature");

    assertRefused(401, "unauthorized", post(ch.inbound(), null, good));
    assertRefused(401, "unauthorized", post(ch.inbound(), InboundSignature.header("chsec_wrong", now, good), good));
    assertRefused(401, "unauthorized", post(ch.inbound(), InboundSignature.header(ch.secret(), now - 360, good), good));
    assertRefused(401, "unauthorized", post(ch.inbound(), InboundSignature.header(ch.secret(), now + 360, good), good));
    assertRefused(401, "unauthorized", post(ch.inbound(), "t=" + now + ",v1=zz", good));
    byte[] other = of("user", "u-1", "mid", "m-1", "text", "다른 글").toString().getBytes(StandardCharsets.UTF_8);
    assertRefused(401, "unauthorized", post(ch.inbound(), InboundSignature.header(ch.secret(), now, good), other));
    assertEquals(badSignatures + 6, inboundCount(server, "bad_signature"), "each bad signature counted");

    assertRefused(404, "not_found", post("/channels/" + tenant + "/nope/inbound",
        InboundSignature.header(ch.secret(), now, good), good));
    assertRefused(404, "not_found", post("/channels/no-such-tenant/app/inbound",
        InboundSignature.header(ch.secret(), now, good), good));

    assertRefused(400, "bad_json", post(ch, "{\"user\":"));
    assertInvalid(post(ch, of("mid", "m-1", "text", "x")), "user");
    assertInvalid(post(ch, of("user", "u-1", "text", "x")), "mid");
    assertInvalid(post(ch, of("user", "u-1", "mid", "m-1")), "text");
    assertInvalid(post(ch, of("user", "u-1", "mid", "m-1", "event", "open", "text", "x")), "event");
    assertInvalid(post(ch, of("user", " ", "mid", "m-1", "text", "x")), "user");
    assertInvalid(post(ch, of("user", "u-1", "mid", "m".repeat(65), "text", "x")), "mid");
    assertInvalid(post(ch, of("user", 7, "mid", "m-1", "text", "x")), "user");
    assertRefused(422, "too_long", post(ch, of("user", "u-1", "mid", "m-1", "text", "x".repeat(4001))));
    byte[] big = of("user", "u-1", "mid", "m-1", "text", "x".repeat(9000)).toString().getBytes(StandardCharsets.UTF_8);
    assertRefused(413, "too_large", post(ch.inbound(), InboundSignature.header(ch.secret(), now, big), big));
    assertEquals(404, post(ch, of("user", "u-1", "mid", "m-9", "event", "leave")).status(),
        "a leave with no open conversation");

    server.http().expect(200, "PUT", "/api/tenants/" + tenant + "/channels/app", ch.setup().adminToken(),
        of("enabled", false));
    assertRefused(403, "forbidden", post(ch, of("user", "u-1", "mid", "m-1", "text", "안녕하세요")));
    assertEquals(List.of(0, 0, 0), stored(server, tenant), "customers, conversations and kept answers");
  }

  @Test
  void outOfHoursAFirstMessageIsRefusedAsTheWidgetsStartIs() throws SQLException {
    Channel ch = channel();
    String tenant = ch.setup().tenant();
    String today = LocalDate.now(ZoneId.of("Asia/Seoul")).toString();
    String tomorrow = LocalDate.now(ZoneId.of("Asia/Seoul")).plusDays(1).toString();
    List<List<String>> allDay = List.of(List.of("00:00", "24:00"));
    server.http().expect(200, "PUT", "/api/tenants/" + tenant + "/centers/seoul/hours", ch.setup().adminToken(),
        of("timezone", "Asia/Seoul", "weekly", of("MON", allDay, "TUE", allDay, "WED", allDay, "THU", allDay,
            "FRI", allDay, "SAT", allDay, "SUN", allDay), "holidays", List.of(today, tomorrow),
            "outOfHours", "OFFLINE_FORM"));
    Http.Response closed = post(ch, of("user", "u-1", "mid", "m-1", "text", "안녕하세요"));
    assertRefused(409, "center_closed", closed);
    assertTrue(closed.body().path("error").path("message").asText().contains("opens at"), closed.body().toString());
    assertEquals(List.of(0, 0, 0), stored(server, tenant));
  }




  /** The conversation's channel and the customer's key on it, as stored. */
  /** The customer id a conversation holds as its channel customer's open one (V021); null once it ended. */
  private static Long openKey(long conversation) throws SQLException {
    return column("channel_open_customer", conversation);
  }

  private static Long customerOf(long conversation) throws SQLException {
    return column("customer_id", conversation);
  }

  private static Long column(String column, long conversation) throws SQLException {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM conversation WHERE id = ?")) {
      ps.setLong(1, conversation);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long value = rs.getLong(1);
        return rs.wasNull() ? null : value;
      }
    }
  }

  private static List<String> where(long conversation) throws SQLException {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("SELECT channel, channel_user FROM conversation WHERE id = ?")) {
      ps.setLong(1, conversation);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return List.of(rs.getString(1), server.fieldCipher().open(rs.getString(2)));
      }
    }
  }

}
