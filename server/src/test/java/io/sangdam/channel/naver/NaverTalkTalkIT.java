package io.sangdam.channel.naver;

import static io.sangdam.testing.ChannelChecks.assertInvalid;
import static io.sangdam.testing.ChannelChecks.assertRefused;
import static io.sangdam.testing.ChannelChecks.inboundCount;
import static io.sangdam.testing.ChannelChecks.owes;
import static io.sangdam.testing.ChannelChecks.statsTotal;
import static io.sangdam.testing.ChannelChecks.surveyAskedEarlier;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.channel.ChannelRatings;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Naver TalkTalk's events at the channel's webhook, posted as navertalk/chatbot-api's README shows them
 * ("이벤트 명세": "open 이벤트", "send 이벤트", "leave 이벤트", "friend 이벤트", "echo 이벤트", "action
 * 이벤트"; handover_v1.md for "handover"): open then send start a routed conversation an agent gets, the
 * customer flagged under 14 as open said; echo, friend and action store nothing; a repeated event is
 * stored once; leave ends the conversation; every bad request is refused and stores nothing.
 */
class NaverTalkTalkIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("http.maxRequestBytes", "8192")
      .with("webhooks.allowLoopback", "true");

  private static final String USER = "al-2eGuGr5WQOnco1_V-FQ";

  private FakeNaverPartnerApi naver;

  @BeforeEach
  void start() throws IOException {
    naver = new FakeNaverPartnerApi("ct_wc8b1i_Pb1AXDQ0RZWuCccpzdNL");
  }

  @AfterEach
  void stop() {
    naver.close();
  }

  /** A tenant with a NAVER_TALKTALK channel {@code naver} into seoul/card, and the URL Naver is to call. */
  private record Channel(TestServer.Setup setup, String webhook) {}

  private Channel channel() {
    TestServer.Setup s = server.setUp();
    ObjectNode body = of("code", "naver", "kind", "NAVER_TALKTALK", "center", "seoul", "queue", "card");
    FakeNaverPartnerApi.settings(naver).forEach(body::put);
    JsonNode created = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        body);
    String secret = created.path("secret").asText();
    assertEquals("/channels/" + s.tenant() + "/naver/naver/{secret}", created.path("inboundUrl").asText(),
        "the URL to register as 이벤트 받을 URL, the secret shown this once to fill in");
    assertTrue(created.has("authorizationKey"), "shown as given in the creating answer: " + created);
    JsonNode read = server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/channels/naver", s.adminToken(),
        null);
    assertFalse(read.has("authorizationKey"), "the key is never shown again: " + read);
    assertFalse(read.toString().contains(secret), read.toString());
    assertEquals(naver.url(), read.path("partnerApiUrl").asText());
    String audit = server.http().expect(200, "GET", "/api/audit?tenant=" + s.tenant(), s.adminToken(), null)
        .toString();
    assertTrue(audit.contains("manage.post"), audit);
    assertFalse(audit.contains(naver.key()) || audit.contains(secret), "the audit log blanks both: " + audit);
    return new Channel(s, created.path("inboundUrl").asText().replace("{secret}", secret));
  }

  private static Http.Response post(String path, Object body) {
    return post(path, body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Http.Response post(String path, byte[] body) {
    return server.http().sendSigned("POST", path, Map.of(), body);
  }

  private static JsonNode ok(Http.Response r) {
    assertEquals(200, r.status(), r.body().toString());
    return r.body();
  }

  /** "open 이벤트", [Request 전체]. */
  private static Object open(String user, boolean under14) {
    return of("event", "open", "user", user, "options", of("inflow", "button", "referer",
        "http://storefarm.naver.com/pqbdo/products/309672359", "from", "309672359", "friend", false,
        "under14", under14, "under19", true));
  }

  /** "textContent": a message the user typed. */
  private static Object text(String user, String text) {
    return of("event", "send", "user", user, "textContent", of("text", text, "inputType", "typing"));
  }

  /** The agent's next frame about a message with {@code text}, skipping others (assignment, earlier messages). */
  private static JsonNode messageAtAgent(WsClient agent, String text) {
    List<JsonNode> seen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      JsonNode frame = agent.next();
      if (frame.path("type").asText().equals("message") && frame.path("text").asText().equals(text)) {
        return frame;
      }
      seen.add(frame);
    }
    throw new AssertionError("no message '" + text + "' among " + seen);
  }

  @Test
  void openThenSendStartARoutedConversationOfAnUnder14CustomerThatLeaves() throws Exception {
    Channel ch = channel();
    TestServer.Setup s = ch.setup();
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");

      assertEquals(0, ok(post(ch.webhook(), open(USER, true))).size(), "open stores no message: {}");
      JsonNode first = ok(post(ch.webhook(), text(USER, "hello world")));
      long id = first.path("conversation").asLong();
      assertEquals(1, first.path("seq").asLong());
      assertFalse(first.has("event"), "nothing for Naver to send back");

      JsonNode assigned = agent.until("assigned").path("conversation");
      assertEquals(id, assigned.path("id").asLong());
      assertEquals("naver", assigned.path("channel").asText());

      // "echo 이벤트": what a partner-centre counsellor (or we) sent, echoed: nothing stored, nothing told.
      assertEquals(0, ok(post(ch.webhook(), of("event", "echo", "echoedEvent", "send", "user", USER,
          "partner", "wc8b1i", "textContent", of("text", "명함을 보냈습니다.", "inputType", "nameCard"),
          "options", of("mobile", false)))).size());
      assertEquals(0, ok(post(ch.webhook(), of("event", "friend", "user", USER, "options", of("set", "on")))).size());
      assertEquals(0, ok(post(ch.webhook(), of("event", "action", "user", USER,
          "options", of("action", "typingOn")))).size());

      // The same event again (Naver's events carry no id): answered as the first, stored once.
      assertEquals(first, ok(post(ch.webhook(), text(USER, "hello world"))));

      // "imageContent": the user's image, as its URL.
      String image = "https://talk.naver.com/image/20170918_119/6.jpg";
      JsonNode second = ok(post(ch.webhook(), of("event", "send", "user", USER, "imageContent",
          of("imageUrl", image))));
      assertEquals(id, second.path("conversation").asLong());
      assertEquals(2, second.path("seq").asLong());
      assertEquals(2, messageAtAgent(agent, image).path("seq").asLong());
      // "compositeContent": its titles and descriptions.
      JsonNode third = ok(post(ch.webhook(), of("event", "send", "user", USER, "compositeContent",
          of("compositeList", List.of(of("title", "타이틀", "description", "설명"))))));
      assertEquals(3, third.path("seq").asLong());
      messageAtAgent(agent, "타이틀\n설명");

      JsonNode history = agent.send(of("type", "history", "rid", "h1", "conversation", id)).until("history");
      assertTrue(history.path("customer").path("under14").asBoolean(), "flagged under 14: " + history);

      JsonNode transcript = server.http().expect(200, "GET", "/api/conversations/" + id, s.adminToken(), null);
      assertEquals(3, transcript.path("messages").size(), "each message stored once: " + transcript);
      assertEquals("hello world", transcript.path("messages").get(0).path("text").asText());

      // handover_v1.md: the partner centre hands the thread back ("상담 완료하기"): kept, nothing else.
      assertEquals(0, ok(post(ch.webhook(), of("event", "handover", "user", USER, "partner", "wc1234", "options",
          of("control", "passThread", "metadata", "{\"managerNickname\":\"파트너닉네임\",\"autoEnd\":false}")))).size());
      assertEquals("passThread", threadControl(s.tenant()));

      // Answered, so the customer's leave ends it as theirs (unanswered, it would be "abandoned").
      agent.send(of("type", "send", "conversation", id, "cmid", "a-1", "text", "확인해 드리겠습니다"));
      assertEquals(4, agent.until("ack").path("seq").asLong());
      JsonNode left = ok(post(ch.webhook(), of("event", "leave", "user", USER)));
      assertEquals(id, left.path("conversation").asLong());
      JsonNode closed = agent.until("closed");
      assertEquals(id, closed.path("conversation").asLong());
      assertEquals("customer", closed.path("reason").asText());
      assertEquals(List.of(1, 1), stored(s.tenant()), "one customer, one conversation");
      // "보내기 API 작성 방법": the agent's reply went out through the outbox as a send event; the end needs no call.
      Eventually.eventually("the agent's reply sent to Naver", () -> naver.received().size() == 1);
      JsonNode sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(naver.received().get(0).body());
      assertEquals(of("event", "send", "user", USER, "textContent", of("text", "확인해 드리겠습니다")), sent);
    }
  }

  /**
   * The rating question (PROTOCOL.md, "Ratings on channels") over TalkTalk: sent after the agent's last reply
   * with quick replies 1점 to 5점 ("퀵 버튼"); the customer's tap (a send with the button's title and code)
   * rates the conversation, counted under the channel; a text that is no score, and a score after the window,
   * open a conversation.
   */
  @Test
  void aQuickReplyRatesTheClosedConversationAndAnythingElseOpensOne() throws Exception {
    Channel ch = channel();
    TestServer.Setup s = ch.setup();
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");

      long rated = servedAndClosed(ch, agent, "al-rater");
      List<JsonNode> sent = new ArrayList<>();
      for (FakeNaverPartnerApi.Received r : naver.received()) {
        sent.add(mapper.readTree(r.body()));
      }
      JsonNode question = sent.get(sent.size() - 1);
      assertEquals("도와드렸습니다", sent.get(sent.size() - 2).path("textContent").path("text").asText(),
          "the question after the agent's last reply: " + sent);
      assertEquals("al-rater", question.path("user").asText());
      assertEquals(ChannelRatings.DEFAULT_TEXT, question.path("textContent").path("text").asText());
      JsonNode buttons = question.path("textContent").path("quickReply").path("buttonList");
      assertEquals(5, buttons.size(), question.toString());
      for (int n = 1; n <= 5; n++) {
        assertEquals(of("type", "TEXT", "data", of("title", n + "점", "code", "rating-" + n)), buttons.get(n - 1));
      }

      // A tap on a quick reply: a send of its title, with its code.
      JsonNode answer = ok(post(ch.webhook(), of("event", "send", "user", "al-rater", "textContent",
          of("text", "4점", "code", "rating-4", "inputType", "typing"))));
      assertEquals(rated, answer.path("conversation").asLong());
      assertFalse(answer.has("seq"), "no message stored: " + answer);
      JsonNode told = agent.until("rated");
      assertEquals(rated, told.path("conversation").asLong());
      assertEquals(4, told.path("score").asInt());

      long thanked = servedAndClosed(ch, agent, "al-thanks");
      long opened = ok(post(ch.webhook(), text("al-thanks", "감사합니다"))).path("conversation").asLong();
      assertTrue(opened != thanked, "a text that is no score opens a conversation");
      assertEquals(opened, agent.until("assigned").path("conversation").path("id").asLong());
      agent.send(of("type", "close", "conversation", opened)).until("closed");

      long asked = servedAndClosed(ch, agent, "al-late");
      surveyAskedEarlier(server, asked, ChannelRatings.DEFAULT_WINDOW.plusSeconds(1));
      JsonNode late = ok(post(ch.webhook(), text("al-late", "5")));
      assertTrue(late.path("conversation").asLong() != asked, "after the window a score opens a conversation");
      assertEquals(1, late.path("seq").asLong());
    }
    Eventually.eventually("counted under the channel", () -> statsTotal(server, s, "&channel=naver")
        .path("csatResponses").asLong(), n -> n == 1);
    assertEquals(4.0, statsTotal(server, s, "&channelKind=NAVER_TALKTALK").path("csatAvg").asDouble());
  }

  /** The user writes, the agent answers and closes; the conversation once its rating question reached Naver. */
  private long servedAndClosed(Channel ch, WsClient agent, String user) {
    long id = ok(post(ch.webhook(), text(user, "문의드립니다 " + user))).path("conversation").asLong();
    assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong());
    agent.send(of("type", "send", "conversation", id, "cmid", "a-" + user, "text", "도와드렸습니다"));
    agent.until("ack");
    agent.send(of("type", "close", "conversation", id)).until("closed");
    Eventually.eventually("the question sent", () -> owes(server, id), n -> n == 0);
    return id;
  }

  @Test
  void aCustomerNotUnder14IsNotFlagged() {
    Channel ch = channel();
    TestServer.Setup s = ch.setup();
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      ok(post(ch.webhook(), open("user-2", false)));
      long id = ok(post(ch.webhook(), text("user-2", "안녕하세요"))).path("conversation").asLong();
      agent.until("assigned");
      JsonNode history = agent.send(of("type", "history", "rid", "h1", "conversation", id)).until("history");
      assertFalse(history.path("customer").has("under14"), history.toString());
    }
  }

  @Test
  void badRequestsAreRefusedAndStoreNothing() throws SQLException {
    Channel ch = channel();
    String tenant = ch.setup().tenant();
    String base = "/channels/" + tenant + "/naver/naver/";
    double unauthorized = inboundCount(server, "bad_signature");
    assertRefused(401, "unauthorized", post(base + "chsec_wrong", text(USER, "hello")));
    assertRefused(401, "unauthorized", post(base + "x", open(USER, true)));
    assertEquals(unauthorized + 2, inboundCount(server, "bad_signature"), "each counted");
    assertRefused(404, "not_found", post("/channels/" + tenant + "/nope/naver/x", text(USER, "hello")));
    assertRefused(404, "not_found", post(ch.webhook().replace("/" + tenant + "/", "/no-such-tenant/"),
        text(USER, "hello")));
    assertRefused(400, "bad_json", post(ch.webhook(), "{\"event\":"));
    assertInvalid(post(ch.webhook(), of("user", USER, "textContent", of("text", "x"))), "event");
    assertInvalid(post(ch.webhook(), of("event", "typing", "user", USER)), "event");
    assertInvalid(post(ch.webhook(), of("event", "send", "textContent", of("text", "x"))), "user");
    assertInvalid(post(ch.webhook(), of("event", "send", "user", USER)), "textContent");
    assertInvalid(post(ch.webhook(), of("event", "send", "user", USER, "textContent", of("code", "A"))),
        "textContent.text");
    assertInvalid(post(ch.webhook(), of("event", "send", "user", USER, "imageContent", of("imageUrl", 7))),
        "imageContent.imageUrl");
    assertInvalid(post(ch.webhook(), of("event", "open", "user", USER, "options", of("inflow", "none"))),
        "options.under14");
    assertInvalid(post(ch.webhook(), of("event", "handover", "user", USER, "options", of("control", "steal"))),
        "options.control");
    assertRefused(422, "too_long", post(ch.webhook(), text(USER, "x".repeat(4001))));
    assertRefused(413, "too_large", post(ch.webhook(), text(USER, "x".repeat(9000))));
    assertEquals(0, ok(post(ch.webhook(), of("event", "leave", "user", USER))).size(),
        "a leave with no open conversation: answered, nothing to end");
    server.http().expect(200, "PUT", "/api/tenants/" + tenant + "/channels/naver", ch.setup().adminToken(),
        of("enabled", false));
    assertRefused(403, "forbidden", post(ch.webhook(), text(USER, "hello")));
    assertRefused(403, "forbidden", post(ch.webhook(), open(USER, true)));
    assertEquals(List.of(0, 0), stored(tenant), "customers and conversations");
  }



  /** The tenant's customers and conversations. */
  private static List<Integer> stored(String tenant) throws SQLException {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("""
            SELECT (SELECT COUNT(*) FROM customer cu WHERE cu.tenant_id = t.id),
                   (SELECT COUNT(*) FROM conversation cv WHERE cv.tenant_id = t.id)
            FROM tenant t WHERE t.code = ?
            """)) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return List.of(rs.getInt(1), rs.getInt(2));
      }
    }
  }

  private static String threadControl(String tenant) throws SQLException {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("SELECT cu.thread_control FROM customer cu JOIN tenant t"
            + " ON t.id = cu.tenant_id WHERE t.code = ? AND cu.channel_user_index = ?")) {
      ps.setString(1, tenant);
      ps.setBytes(2, server.fieldCipher().channelUserIndex(USER));
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        return rs.getString(1);
      }
    }
  }

}
