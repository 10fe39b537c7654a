package io.sangdam.channel.kakao;

import static io.sangdam.testing.ChannelChecks.failedAttempts;
import static io.sangdam.testing.ChannelChecks.owes;
import static io.sangdam.testing.ChannelChecks.statsTotal;
import static io.sangdam.testing.ChannelChecks.surveyAskedEarlier;
import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.channel.ChannelRatings;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A KakaoTalk 상담톡 conversation from end to end, the dealer a local fake ({@link FakeKakaoDealer}): the
 * customer's session start and message at the channel's webhook are routed to an agent over /ws/agent, the
 * agent's replies reach the dealer's "메시지 전송" through the outbox (one over 1,000 characters in parts with
 * their own serial_number), a 503 of the dealer is tried again with the order kept, the agent's close ends
 * the 상담 session ("상담방 종료"), and the conversation is found and counted as a KAKAO one. A restart while
 * the dealer holds an attempt: the attempt is made again under its serial_number, which the dealer takes once.
 */
class KakaoEndToEndIT {
  /** Retries for 30 s at most: long enough for one 503, short enough to end within a test. */
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true")
      .with("channels.outboundRetrySeconds", "30");

  private static final Duration DELIVERY = Duration.ofSeconds(30);

  private FakeKakaoDealer dealer;

  @BeforeEach
  void start() throws IOException {
    dealer = new FakeKakaoDealer();
  }

  @AfterEach
  void stop() {
    dealer.close();
  }

  @Test
  void aSessionIsRoutedAnsweredDeliveredInOrderThroughA503ClosedFoundAndCounted() throws SQLException {
    TestServer.Setup s = server.setUp();
    ObjectNode body = of("code", "kakao", "kind", "KAKAO", "center", s.center(), "queue", s.queue());
    dealer.settings().forEach(body::put);
    String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        body).path("secret").asText();
    String webhook = "/channels/" + s.tenant() + "/kakao/kakao/";
    Map<String, String> keys = Map.of(KakaoInbound.CLIENT_ID, "kakao", KakaoInbound.CLIENT_SECRET, secret);

    // The dealer's first answer is its own trouble: tried again, nothing after it overtakes it.
    dealer.failNext(1);
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");

      // "사용자 메타 정보 수신", then "상담 메시지 수신".
      long id = inbound(webhook + "reference", keys, of("user_key", "uk-e2e", "sender_key", FakeKakaoDealer.SENDER_KEY,
          "time", 1_700_000_000_000L, "session_id", "ses-e2e")).path("conversation").asLong();
      JsonNode assigned = agent.until("assigned").path("conversation");
      assertEquals(id, assigned.path("id").asLong());
      assertEquals("kakao", assigned.path("channel").asText());
      assertEquals(id, inbound(webhook + "message", keys, of("user_key", "uk-e2e", "sender_key",
          FakeKakaoDealer.SENDER_KEY, "time", 1_700_000_000_001L, "serial_number", "k-1", "type", "text",
          "content", "배송이 안 왔어요")).path("conversation").asLong());
      assertEquals("배송이 안 왔어요", agent.until("message").path("text").asText());

      long reply = agentSays(agent, id, "확인해 드리겠습니다");
      String longText = "가".repeat(1000) + "나".repeat(200);
      long split = agentSays(agent, id, longText);
      agent.send(of("type", "close", "conversation", id));
      JsonNode closed = agent.until("closed");
      assertEquals(id, closed.path("conversation").asLong());

      eventually("the 상담 session ended at the dealer", dealer::ended, e -> e.contains("uk-e2e"), DELIVERY);
      List<String> owed = owedSerials(s, id);
      assertTrue(owed.containsAll(List.of("sd" + id + "-" + reply, "sd" + id + "-" + split + "-1",
          "sd" + id + "-" + split + "-2")), owed.toString());
      String survey = "sd" + id + "-" + lastSeq(s, id) + "-r";
      owed.add(survey);
      assertEquals(owed, dealer.taken(), "every agent and system message once, in seq order, the long one in parts, "
          + "then the rating question");
      assertEquals(ChannelRatings.DEFAULT_TEXT, dealer.body(survey).path("message").asText());
      assertEquals(List.of("write " + survey, "end uk-e2e"), dealer.calls().subList(dealer.calls().size() - 2,
          dealer.calls().size()), "the question before the session's end");
      assertTrue(dealer.attempts().size() > owed.size(), "the 503 was tried again: " + dealer.attempts());
      assertEquals(dealer.attempts().get(0), dealer.attempts().get(1), "with the same serial_number");
      assertEquals("확인해 드리겠습니다", dealer.body("sd" + id + "-" + reply).path("message").asText());
      assertEquals("uk-e2e", dealer.body("sd" + id + "-" + reply).path("user_key").asText());
      assertEquals("가".repeat(1000), dealer.body("sd" + id + "-" + split + "-1").path("message").asText());
      assertEquals("나".repeat(200), dealer.body("sd" + id + "-" + split + "-2").path("message").asText());
      eventually("nothing more owed", () -> owes(server, id) == 0);
    }

    JsonNode found = server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/conversations?channelKind=KAKAO",
        s.adminToken(), null).path("conversations");
    assertEquals(1, found.size(), found.toString());
    assertEquals("kakao", found.get(0).path("channel").asText());
    assertEquals("KAKAO", found.get(0).path("channelKind").asText());
    assertEquals("CLOSED", found.get(0).path("state").asText());
    assertEquals("agent", found.get(0).path("closeReason").asText());
    assertEquals(0, server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/conversations?channelKind=WEB",
        s.adminToken(), null).path("conversations").size());

    eventually("counted as KAKAO", () -> statsTotal(server, s, "&channelKind=KAKAO").path("handled").asLong(), n -> n == 1);
    assertEquals(1, statsTotal(server, s, "&channelKind=KAKAO").path("offered").asLong());
    assertEquals(1, statsTotal(server, s, "&channel=kakao").path("handled").asLong());
    assertEquals(0, statsTotal(server, s, "&channelKind=SMS").path("offered").asLong());
  }

  /**
   * The rating question (PROTOCOL.md, "Ratings on channels") answered over KakaoTalk: the customer's new session
   * after the end opens nothing while their answer is awaited, and their score rates the conversation (the agent
   * told, counted under the channel); a second score is an ordinary message; a text that is no score opens a
   * conversation; a score after the window opens one too; a customer who ended the session is not asked.
   */
  @Test
  void theCustomersNextTextRatesTheConversationWhenItIsAScoreWithinTheWindow() {
    TestServer.Setup s = server.setUp();
    ObjectNode body = of("code", "kakao", "kind", "KAKAO", "center", s.center(), "queue", s.queue());
    dealer.settings().forEach(body::put);
    String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        body).path("secret").asText();
    Customer rater = new Customer(s, secret, "uk-rater");
    Customer chatty = new Customer(s, secret, "uk-chatty");
    Customer late = new Customer(s, secret, "uk-late");
    Customer gone = new Customer(s, secret, "uk-gone");
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");

      long rated = rater.servedAndClosed(agent);
      assertEquals(rated, rater.startsSession("ses-2").path("conversation").asLong(),
          "a new session while the answer is awaited opens nothing");
      JsonNode answer = rater.writes("5점 친절했어요");
      assertEquals(rated, answer.path("conversation").asLong());
      assertTrue(answer.path("seq").isMissingNode(), "no message stored: " + answer);
      JsonNode told = agent.until("rated");
      assertEquals(rated, told.path("conversation").asLong());
      assertEquals(5, told.path("score").asInt());
      assertEquals("친절했어요", told.path("comment").asText());
      long after = rater.writes("4").path("conversation").asLong();
      assertNotEquals(rated, after, "rated once: a second score is an ordinary message");
      assertEquals(after, agent.until("assigned").path("conversation").path("id").asLong());
      agent.send(of("type", "close", "conversation", after)).until("closed");

      long first = chatty.servedAndClosed(agent);
      long opened = chatty.writes("또 문의드려요").path("conversation").asLong();
      assertNotEquals(first, opened, "a text that is no score opens a conversation");
      assertEquals(opened, agent.until("assigned").path("conversation").path("id").asLong());
      agent.send(of("type", "close", "conversation", opened)).until("closed");

      long asked = late.servedAndClosed(agent);
      surveyAskedEarlier(server, asked, ChannelRatings.DEFAULT_WINDOW.plusSeconds(1));
      JsonNode tooLate = late.writes("5");
      assertNotEquals(asked, tooLate.path("conversation").asLong(), "after the window a score is a message");
      assertEquals(1, tooLate.path("seq").asLong());
      assertEquals(tooLate.path("conversation").asLong(), agent.until("assigned").path("conversation").path("id")
          .asLong());
      agent.send(of("type", "close", "conversation", tooLate.path("conversation").asLong())).until("closed");

      gone.startsSession("ses-g");
      long left = agent.until("assigned").path("conversation").path("id").asLong();
      gone.writes("문의요");
      agentSays(agent, left, "네");
      inbound(gone.webhook + "expired", gone.keys, of("user_key", "uk-gone", "sender_key", FakeKakaoDealer.SENDER_KEY,
          "session_id", "ses-g"));
      eventually("the end of the conversation the customer left delivered", () -> owes(server, left) == 0);
      assertTrue(dealer.taken().stream().noneMatch(t -> t.startsWith("sd" + left + "-") && t.endsWith("-r")),
          "a customer who ended the session is not asked: " + dealer.taken());
    }
    eventually("the rating counted under the channel", () -> statsTotal(server, s, "&channel=kakao")
        .path("csatResponses").asLong(), n -> n == 1);
    assertEquals(5.0, statsTotal(server, s, "&channelKind=KAKAO").path("csatAvg").asDouble());
  }

  /**
   * The dealer takes the rating question but answers its {@code /v1/chat/end} 503 for a while: the question has
   * reached the customer (their 상담 session is still open), so their score rates the conversation while the
   * end is tried again, instead of opening a conversation an agent is offered; the end goes once the dealer
   * takes it.
   */
  @Test
  void aScoreWhileTheEndIsTriedAgainRatesTheConversation() {
    TestServer.Setup s = server.setUp();
    ObjectNode body = of("code", "kakao", "kind", "KAKAO", "center", s.center(), "queue", s.queue());
    dealer.settings().forEach(body::put);
    String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        body).path("secret").asText();
    Customer rater = new Customer(s, secret, "uk-retried");
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      long id = rater.writes("문의드립니다").path("conversation").asLong();
      assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong());
      agentSays(agent, id, "도와드렸습니다");
      dealer.failEnds(true);
      agent.send(of("type", "close", "conversation", id)).until("closed");
      String survey = "sd" + id + "-" + lastSeq(s, id) + "-r";
      eventually("the question taken by the dealer", dealer::taken, t -> t.contains(survey), DELIVERY);

      JsonNode answer = rater.writes("5");
      assertEquals(id, answer.path("conversation").asLong(), "the score answers the question: " + answer);
      assertTrue(answer.path("seq").isMissingNode(), "no message stored: " + answer);
      JsonNode told = agent.until("rated");
      assertEquals(id, told.path("conversation").asLong());
      assertEquals(5, told.path("score").asInt());
      assertTrue(owes(server, id) > 0, "the end is still tried again");
      assertFalse(dealer.ended().contains("uk-retried"), "the end not taken yet");

      dealer.failEnds(false);
      eventually("the end delivered once the dealer takes it", () -> owes(server, id), n -> n == 0, DELIVERY);
      assertTrue(dealer.ended().contains("uk-retried"));
    }
  }

  /**
   * While a conversation's end is still tried again (the dealer's {@code /v1/chat/end} answering 503), the
   * customer writes something that is no score: a new conversation opens on the same 상담 session (KakaoTalk
   * keeps one per user_key and sender_key, and the end request names no session). The late end then ends no
   * session: it would end the new conversation's, and its agent could no longer write. The new conversation's
   * own end ends the session, once.
   */
  @Test
  void aLateEndLeavesTheSessionToTheConversationTheCustomerOpenedMeanwhile() {
    TestServer.Setup s = server.setUp();
    ObjectNode body = of("code", "kakao", "kind", "KAKAO", "center", s.center(), "queue", s.queue());
    dealer.settings().forEach(body::put);
    String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        body).path("secret").asText();
    Customer customer = new Customer(s, secret, "uk-newer");
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      long old = customer.writes("문의드립니다").path("conversation").asLong();
      assertEquals(old, agent.until("assigned").path("conversation").path("id").asLong());
      agentSays(agent, old, "도와드렸습니다");
      dealer.failEnds(true);
      agent.send(of("type", "close", "conversation", old)).until("closed");
      String survey = "sd" + old + "-" + lastSeq(s, old) + "-r";
      eventually("the question taken by the dealer", dealer::taken, t -> t.contains(survey), DELIVERY);
      // Once that attempt is over: an end in flight when the customer writes ends the session still.
      eventually("the end refused, to be tried again", () -> failedAttempts(server, old), n -> n >= 1, DELIVERY);

      long newer = customer.writes("그런데 하나 더 여쭤볼게요").path("conversation").asLong();
      assertNotEquals(old, newer, "no score: a new conversation");
      assertEquals(newer, agent.until("assigned").path("conversation").path("id").asLong());
      dealer.failEnds(false);
      eventually("the old end done with", () -> owes(server, old), n -> n == 0, DELIVERY);
      String reply = "sd" + newer + "-" + agentSays(agent, newer, "네, 말씀하세요");
      eventually("the new conversation's reply delivered", dealer::taken, t -> t.contains(reply), DELIVERY);
      assertFalse(dealer.calls().contains("end uk-newer"), "the session left open: " + dealer.calls());

      agent.send(of("type", "close", "conversation", newer)).until("closed");
      eventually("the new conversation's end delivered", () -> owes(server, newer), n -> n == 0, DELIVERY);
      assertEquals(1, dealer.calls().stream().filter("end uk-newer"::equals).count(), dealer.calls().toString());
      assertTrue(agent.drain().stream().noneMatch(m -> m.path("type").asText().equals("deliveryFailed")),
          "nothing given up");
    }
  }

  /** A KakaoTalk customer of the channel {@code kakao} of the setup's tenant, writing through the dealer's webhook. */
  private final class Customer {
    final TestServer.Setup s;
    final String user;
    final String webhook;
    final Map<String, String> keys;
    int serial;

    Customer(TestServer.Setup s, String secret, String user) {
      this.s = s;
      this.user = user;
      this.webhook = "/channels/" + s.tenant() + "/kakao/kakao/";
      this.keys = Map.of(KakaoInbound.CLIENT_ID, "kakao", KakaoInbound.CLIENT_SECRET, secret);
    }

    JsonNode startsSession(String session) {
      return inbound(webhook + "reference", keys, of("user_key", user, "sender_key", FakeKakaoDealer.SENDER_KEY,
          "session_id", session));
    }

    JsonNode writes(String text) {
      return inbound(webhook + "message", keys, of("user_key", user, "sender_key", FakeKakaoDealer.SENDER_KEY,
          "serial_number", user + "-" + ++serial, "type", "text", "content", text));
    }

    /** A conversation the agent answers and closes; its id once the rating question has reached the customer. */
    long servedAndClosed(WsClient agent) {
      long id = writes("문의드립니다").path("conversation").asLong();
      assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong());
      agentSays(agent, id, "도와드렸습니다");
      agent.send(of("type", "close", "conversation", id)).until("closed");
      eventually("the question asked and the session ended", () -> owes(server, id), n -> n == 0, DELIVERY);
      String survey = "sd" + id + "-" + lastSeq(s, id) + "-r";
      assertTrue(dealer.taken().contains(survey), dealer.taken().toString());
      assertTrue(dealer.calls().indexOf("write " + survey) < dealer.calls().lastIndexOf("end " + user),
          "the question before the end: " + dealer.calls());
      return id;
    }
  }

  private static long lastSeq(TestServer.Setup s, long id) {
    JsonNode messages = server.http().expect(200, "GET", "/api/conversations/" + id, s.adminToken(), null)
        .path("messages");
    return messages.get(messages.size() - 1).path("seq").asLong();
  }

  @Test
  void aRestartWhileTheDealerHoldsAnAttemptSendsItAgainAndTheDealerTakesItOnce() {
    TestServer.Setup s = server.setUp();
    ObjectNode body = of("code", "kakao", "kind", "KAKAO", "center", s.center(), "queue", s.queue());
    dealer.settings().forEach(body::put);
    String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        body).path("secret").asText();
    Map<String, String> keys = Map.of(KakaoInbound.CLIENT_ID, "kakao", KakaoInbound.CLIENT_SECRET, secret);
    CountDownLatch slow = new CountDownLatch(1);
    dealer.stallNext(slow);
    List<String> owed = new ArrayList<>();
    long id;
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      id = inbound("/channels/" + s.tenant() + "/kakao/kakao/reference", keys, of("user_key", "uk-restart",
          "sender_key", FakeKakaoDealer.SENDER_KEY, "time", 1_700_000_000_000L, "session_id", "ses-restart"))
          .path("conversation").asLong();
      agent.until("assigned");
      for (String text : List.of("재시작 전 1", "재시작 전 2")) {
        owed.add("sd" + id + "-" + agentSays(agent, id, text));
      }
    }
    eventually("the first in flight at the dealer", dealer::attempts, a -> !a.isEmpty(), DELIVERY);
    server.stop();
    // The dealer takes the held one after the stop: the stopped server never hears its answer.
    slow.countDown();
    eventually("the dealer took the held one", dealer::taken, t -> t.contains(owed.get(0)), DELIVERY);
    server.start();

    eventually("all delivered after the restart", dealer::taken, t -> t.size() >= owed.size(), DELIVERY);
    assertEquals(owed, dealer.taken(), "each once, in order");
    assertEquals(2, dealer.attempts().stream().filter(owed.get(0)::equals).count(),
        "the held one sent again after the restart, under its serial_number, which the dealer takes once");
  }

  private static JsonNode inbound(String path, Map<String, String> keys, Object body) {
    var r = server.http().sendSigned("POST", path, keys, body.toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.status(), r.body().toString());
    assertEquals(0, r.body().path("code").asInt(-1), r.body().toString());
    return r.body();
  }

  private static long agentSays(WsClient agent, long id, String text) {
    agent.send(of("type", "send", "conversation", id, "cmid", "a-" + text.hashCode(), "text", text));
    return agent.until("ack").path("seq").asLong();
  }

  /**
   * The serial_numbers the dealer is owed for the conversation, from its transcript: each agent and system
   * message with text, in seq order, in parts of 1,000 characters when longer.
   */
  private static List<String> owedSerials(TestServer.Setup s, long id) {
    List<String> serials = new ArrayList<>();
    for (JsonNode m : server.http().expect(200, "GET", "/api/conversations/" + id, s.adminToken(), null)
        .path("messages")) {
      String text = m.path("text").asText("");
      if (m.path("from").asText().equals("customer") || text.isBlank()) {
        continue;
      }
      String serial = "sd" + id + "-" + m.path("seq").asLong();
      int parts = (text.length() + 999) / 1000;
      if (parts == 1) {
        serials.add(serial);
      }
      for (int i = 1; parts > 1 && i <= parts; i++) {
        serials.add(serial + "-" + i);
      }
    }
    return serials;
  }


}
