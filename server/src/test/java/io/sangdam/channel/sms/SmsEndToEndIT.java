package io.sangdam.channel.sms;

import static io.sangdam.testing.ChannelChecks.owes;
import static io.sangdam.testing.ChannelChecks.statsTotal;
import static io.sangdam.testing.ChannelChecks.surveyAskedEarlier;
import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.testing.Http;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An SMS conversation from end to end (docs/protocol.md, "SMS/LMS (SMS)"), the gateway a local fake of the
 * kind Korean SMS vendors sell (a POST with an authorization header and the recipient, sender number,
 * message type, text and a reference in its body, the channel's template filling them in; 2xx taken, 5xx
 * its own trouble): a text at the channel's webhook is routed to an agent over /ws/agent, the agent's
 * replies reach the gateway through the outbox in order, a 503 tried again, the agent closes, and the
 * conversation is found and counted as an SMS one. Then the number writes again and sends 수신거부: the
 * conversation ends and the gateway gets nothing more for it, not even what was waiting to go.
 */
class SmsEndToEndIT {
  /** Retries for 30 s at most: long enough for the 503s here, short enough to end within a test. */
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true")
      .with("channels.outboundRetrySeconds", "30");

  private static final Duration DELIVERY = Duration.ofSeconds(30);
  private static final String TEMPLATE =
      "{\"to\":\"{to}\",\"from\":\"{from}\",\"msgType\":\"{type}\",\"content\":\"{text}\",\"refKey\":\"{id}\"}";

  /** One POST the gateway got: its fields, and the status it answered. */
  private record Sent(JsonNode body, int answered) {
    String ref() {
      return body.path("refKey").asText();
    }

    /** The conversation and seq of the {@code refKey} {@code <conversation>-<seq>-<part>}. */
    String message() {
      return ref().substring(0, ref().lastIndexOf('-'));
    }
  }

  private HttpServer gateway;
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicBoolean down = new AtomicBoolean();

  @BeforeEach
  void start() throws IOException {
    gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    gateway.createContext("/send", this::take);
    gateway.start();
  }

  @AfterEach
  void stop() {
    gateway.stop(0);
  }

  private void take(HttpExchange x) throws IOException {
    try (x) {
      JsonNode body = Json.parse(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      int status;
      if (!"Bearer gw-token".equals(x.getRequestHeaders().getFirst("Authorization"))) {
        status = 401;
      } else if (down.get() || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        status = 503;
      } else {
        status = body.path("to").asText().matches("0[0-9]{7,14}") && body.path("from").asText().equals("15880000")
            ? 200 : 400;
      }
      sent.add(new Sent(body, status));
      byte[] answer = (status == 200 ? "{\"result\":\"OK\"}" : "{\"result\":\"ERROR\"}")
          .getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(status, answer.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  /** What the gateway took (answered 200) for the conversation, each {@code <conversation>-<seq>} once, in order. */
  private List<String> taken(long conversation) {
    List<String> out = new ArrayList<>();
    for (Sent s : sent) {
      if (s.answered() == 200 && s.message().startsWith(conversation + "-") && !out.contains(s.message())) {
        out.add(s.message());
      }
    }
    return out;
  }

  @Test
  void aTextIsRoutedAnsweredDeliveredThroughA503ClosedFoundCountedAndAnOptOutStopsSends() throws SQLException {
    TestServer.Setup s = server.setUp();
    String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "sms", "kind", "SMS", "center", s.center(), "queue", s.queue(), "gatewayUrl",
            "http://127.0.0.1:" + gateway.getAddress().getPort() + "/send", "bodyTemplate", TEMPLATE, "fromNumber",
            "15880000", "authHeader", "Authorization: Bearer gw-token")).path("secret").asText();
    String webhook = "/channels/" + s.tenant() + "/sms/sms";

    // The gateway's first answer is its own trouble: tried again, nothing after it overtakes it.
    failNext.set(1);
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");

      long id = inbound(webhook, secret, of("from", "+82 10-2222-3333", "text", "예약 변경하고 싶어요", "id", "gw-1"))
          .path("conversation").asLong();
      JsonNode assigned = agent.until("assigned").path("conversation");
      assertEquals(id, assigned.path("id").asLong());
      assertEquals("sms", assigned.path("channel").asText());

      long first = agentSays(agent, id, "네, 변경해 드릴게요");
      long second = agentSays(agent, id, "원하시는 날짜를 알려주세요");
      agent.send(of("type", "close", "conversation", id));
      assertEquals(id, agent.until("closed").path("conversation").asLong());

      eventually("nothing more owed", () -> owes(server, id), n -> n == 0, DELIVERY);
      List<String> owed = owed(s, id);
      assertTrue(owed.containsAll(List.of(id + "-" + first, id + "-" + second)), owed.toString());
      assertEquals(owed, taken(id), "every agent and system message once, in seq order");
      assertTrue(sent.stream().noneMatch(x -> x.ref().contains("-r")), "SMS asks no rating unless turned on");
      assertEquals(503, sent.get(0).answered());
      assertEquals(sent.get(0).ref(), sent.get(1).ref(), "the 503 tried again with the same reference");
      Sent reply = sent.stream().filter(x -> x.ref().equals(id + "-" + first + "-1") && x.answered() == 200)
          .findFirst().orElseThrow();
      assertEquals("01022223333", reply.body().path("to").asText());
      assertEquals("SMS", reply.body().path("msgType").asText());
      assertEquals("네, 변경해 드릴게요", reply.body().path("content").asText());

      JsonNode found = server.http().expect(200, "GET", "/api/tenants/" + s.tenant()
          + "/conversations?channelKind=SMS", s.adminToken(), null).path("conversations");
      assertEquals(1, found.size(), found.toString());
      assertEquals(id, found.get(0).path("id").asLong());
      assertEquals("sms", found.get(0).path("channel").asText());
      assertEquals("SMS", found.get(0).path("channelKind").asText());
      assertEquals(0, server.http().expect(200, "GET", "/api/tenants/" + s.tenant()
          + "/conversations?channelKind=KAKAO", s.adminToken(), null).path("conversations").size());
      eventually("counted as SMS", () -> statsTotal(server, s, "&channelKind=SMS").path("handled").asLong(), n -> n == 1);
      assertEquals(1, statsTotal(server, s, "&channelKind=SMS").path("offered").asLong());
      assertEquals(1, statsTotal(server, s, "&channel=sms").path("offered").asLong());
      assertEquals(0, statsTotal(server, s, "&channelKind=WEB").path("offered").asLong());

      // The number writes again while the gateway is down, is answered, then opts out.
      down.set(true);
      long again = inbound(webhook, secret, of("from", "010-2222-3333", "text", "하나 더 여쭤볼게요", "id", "gw-2"))
          .path("conversation").asLong();
      assertEquals(again, agent.until("assigned").path("conversation").path("id").asLong());
      agentSays(agent, again, "말씀하세요");
      // Its first owed item (the answer, or a system message before it) is tried and refused: the rest waits.
      eventually("tried while the gateway is down", () -> sent.stream()
          .anyMatch(x -> x.message().startsWith(again + "-")));
      assertEquals(again, inbound(webhook, secret, of("from", "01022223333", "text", "수신거부", "id", "gw-3"))
          .path("conversation").asLong());
      JsonNode ended = agent.until("closed");
      assertEquals(again, ended.path("conversation").asLong());
      assertEquals("customer", ended.path("reason").asText());
      down.set(false);

      eventually("what waited is given up, and the end", () -> owes(server, again), n -> n == 0, DELIVERY);
      assertEquals(List.of(), taken(again), "nothing reaches an opted-out number, not even what waited");
    }
  }

  /**
   * With {@code rating} on (SMS asks none by default: every text is paid for), the channel's own question goes
   * after the agent's last reply under the reference {@code <conversation>-<seq>-r1}; a full-width score
   * within the window rates the conversation (counted under the channel); an out-of-range digit, and a score
   * after the channel's window, open a conversation.
   */
  @Test
  void withRatingOnTheChannelsQuestionGoesAndAScoreWithinItsWindowRates() {
    TestServer.Setup s = server.setUp();
    String question = "상담 만족도를 1~5 숫자로 보내 주세요";
    String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "sms", "kind", "SMS", "center", s.center(), "queue", s.queue(), "gatewayUrl",
            "http://127.0.0.1:" + gateway.getAddress().getPort() + "/send", "bodyTemplate", TEMPLATE, "fromNumber",
            "15880000", "authHeader", "Authorization: Bearer gw-token", "rating", "on", "ratingText", question,
            "ratingWindowMinutes", "10")).path("secret").asText();
    String webhook = "/channels/" + s.tenant() + "/sms/sms";
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");

      long rated = servedAndClosed(s, webhook, secret, agent, "01055550001");
      JsonNode answer = inbound(webhook, secret, of("from", "010-5555-0001", "text", " ５ ", "id", "r-1"));
      assertEquals(rated, answer.path("conversation").asLong());
      assertTrue(answer.path("seq").isMissingNode(), "no message stored: " + answer);
      assertEquals(5, agent.until("rated").path("score").asInt());

      long other = servedAndClosed(s, webhook, secret, agent, "01055550002");
      JsonNode six = inbound(webhook, secret, of("from", "01055550002", "text", "6", "id", "r-2"));
      assertTrue(six.path("conversation").asLong() != other, "6 is no score: it opens a conversation");
      assertEquals(six.path("conversation").asLong(), agent.until("assigned").path("conversation").path("id")
          .asLong());
      agent.send(of("type", "close", "conversation", six.path("conversation").asLong())).until("closed");

      long late = servedAndClosed(s, webhook, secret, agent, "01055550003");
      surveyAskedEarlier(server, late, Duration.ofMinutes(10).plusSeconds(1));
      JsonNode after = inbound(webhook, secret, of("from", "01055550003", "text", "5", "id", "r-3"));
      assertTrue(after.path("conversation").asLong() != late, "after the channel's window: a new conversation");
      assertEquals(1, after.path("seq").asLong());
    }
    eventually("counted under the channel", () -> statsTotal(server, s, "&channel=sms").path("csatResponses")
        .asLong(), n -> n == 1);
    assertEquals(5.0, statsTotal(server, s, "&channelKind=SMS").path("csatAvg").asDouble());
  }

  /** The number writes, the agent answers and closes; the conversation once its rating question went out. */
  private long servedAndClosed(TestServer.Setup s, String webhook, String secret, WsClient agent, String number) {
    long id = inbound(webhook, secret, of("from", number, "text", "문의드립니다", "id", "q-" + number))
        .path("conversation").asLong();
    assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong());
    long reply = agentSays(agent, id, "도와드렸습니다");
    agent.send(of("type", "close", "conversation", id)).until("closed");
    eventually("the question sent", () -> owes(server, id), n -> n == 0, DELIVERY);
    List<String> refs = sent.stream().filter(x -> x.answered() == 200 && x.ref().startsWith(id + "-"))
        .map(Sent::ref).toList();
    String asked = id + "-" + lastSeq(s, id) + "-r1";
    assertEquals(asked, refs.get(refs.size() - 1), "the question last: " + refs);
    assertTrue(refs.indexOf(id + "-" + reply + "-1") < refs.indexOf(asked), refs.toString());
    Sent q = sent.stream().filter(x -> x.ref().equals(asked)).findFirst().orElseThrow();
    assertEquals("상담 만족도를 1~5 숫자로 보내 주세요", q.body().path("content").asText());
    assertEquals(number, q.body().path("to").asText());
    return id;
  }

  private static long lastSeq(TestServer.Setup s, long id) {
    JsonNode messages = server.http().expect(200, "GET", "/api/conversations/" + id, s.adminToken(), null)
        .path("messages");
    return messages.get(messages.size() - 1).path("seq").asLong();
  }

  private static JsonNode inbound(String path, String secret, Object body) {
    Http.Response r = server.http().sendSigned("POST", path, Map.of(SmsInbound.KEY_HEADER, secret),
        body.toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.status(), r.body().toString());
    return r.body();
  }

  private static long agentSays(WsClient agent, long id, String text) {
    agent.send(of("type", "send", "conversation", id, "cmid", "a-" + text.hashCode(), "text", text));
    return agent.until("ack").path("seq").asLong();
  }

  /** The {@code <conversation>-<seq>} of each agent and system message with text, in seq order, from the transcript. */
  private static List<String> owed(TestServer.Setup s, long id) {
    List<String> owed = new ArrayList<>();
    for (JsonNode m : server.http().expect(200, "GET", "/api/conversations/" + id, s.adminToken(), null)
        .path("messages")) {
      if (!m.path("from").asText().equals("customer") && !m.path("text").asText("").isBlank()) {
        owed.add(id + "-" + m.path("seq").asLong());
      }
    }
    return owed;
  }


}
