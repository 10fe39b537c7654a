package io.sangdam.bot;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.channel.InboundSignature;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bot's statistics from real conversations: five widget customers and one of the custom channel walk
 * {@link BotConversationIT#SCENARIO} (FAQ answers rated helpful and not, a suggestion chosen, an inquiry, a customer
 * who leaves, hand-offs), and {@code GET /api/stats/bot} gives exact figures per scenario, channel and FAQ entry, in
 * JSON and CSV, to those who may see them; the queue's own figures count none of it.
 */
class BotStatisticsIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true");
  private static HttpServer partner;
  private static final List<JsonNode> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    partner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    partner.createContext("/out", exchange -> {
      received.add(io.sangdam.testing.Json.parse(new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    partner.start();
  }

  @AfterAll
  static void stop() {
    partner.stop(0);
  }

  private final ArrayDeque<JsonNode> early = new ArrayDeque<>();

  private record Bot(TestServer.Setup s, long scenario, String secret, Map<String, Long> faq, String manager,
      String tenantAdmin, String busanManager) {}

  /**
   * A tenant whose queue card and custom channel app greet with the scenario, with three FAQ entries, a tenant
   * admin, the manager of seoul and the manager of another center, busan.
   */
  private static Bot withBot() {
    TestServer.Setup s = server.setUp();
    String t = "/api/tenants/" + s.tenant();
    String admin = s.adminToken();
    long scenario = server.http().expect(201, "POST", t + "/scenarios", admin,
        io.sangdam.testing.Json.parse(BotConversationIT.SCENARIO)).path("id").asLong();
    server.http().expect(200, "PUT", t + "/scenario-entries", admin,
        of("center", "seoul", "queue", "card", "scenario", scenario));
    String secret = server.http().expect(201, "POST", t + "/channels", admin, of("code", "app", "kind", "CUSTOM",
        "center", "seoul", "queue", "card", "outboundUrl", "http://127.0.0.1:" + partner.getAddress().getPort()
            + "/out")).path("secret").asText();
    server.http().expect(200, "PUT", t + "/scenario-entries", admin, of("channel", "app", "scenario", scenario));
    Map<String, Long> faq = new java.util.HashMap<>();
    faq.put("delivery", server.http().expect(201, "POST", t + "/faq", admin, of("question", "배송은 언제 오나요?",
        "alternatives", List.of("배송 기간"), "answer", "보통 2~3일 걸립니다.")).path("id").asLong());
    faq.put("card-pin", server.http().expect(201, "POST", t + "/faq", admin, of("question",
        "카드 비밀번호를 잊어버렸어요", "answer", "카드 비밀번호는 앱의 [카드 관리]에서 다시 정하실 수 있어요.")).path("id").asLong());
    faq.put("login", server.http().expect(201, "POST", t + "/faq", admin, of("question",
        "로그인 비밀번호를 잊어버렸어요", "answer", "로그인 화면의 [비밀번호 찾기]를 눌러 주세요.")).path("id").asLong());
    server.http().expect(201, "POST", t + "/centers", admin, of("code", "busan", "name", "부산"));
    server.http().expect(201, "POST", t + "/users", admin, of("username", "boss", "password", TestServer.STAFF_PASSWORD,
        "name", "관리자", "role", "TENANT_ADMIN"));
    server.http().expect(201, "POST", t + "/users", admin, of("username", "mgr", "password", TestServer.STAFF_PASSWORD,
        "name", "서울 매니저", "role", "CENTER_MANAGER", "center", "seoul"));
    server.http().expect(201, "POST", t + "/users", admin, of("username", "bmgr", "password", TestServer.STAFF_PASSWORD,
        "name", "부산 매니저", "role", "CENTER_MANAGER", "center", "busan"));
    return new Bot(s, scenario, secret, faq, server.http().login(s.tenant(), "mgr", TestServer.STAFF_PASSWORD),
        server.http().login(s.tenant(), "boss", TestServer.STAFF_PASSWORD), server.http().login(s.tenant(), "bmgr", TestServer.STAFF_PASSWORD));
  }

  private long start(TestServer.Setup s, WsClient customer) {
    customer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
    long id = customer.send(of("type", "start", "rid", "s", "queue", s.queue())).next("started").path("conversation")
        .path("id").asLong();
    bot(customer);
    return id;
  }

  private JsonNode bot(WsClient customer) {
    JsonNode m = next(customer, "message");
    assertEquals("bot", m.path("from").asText(), m::toString);
    return m;
  }

  /** The next frame of {@code type}: one that came before an ack first (the bot may answer before it). */
  private JsonNode next(WsClient customer, String type) {
    for (var it = early.iterator(); it.hasNext(); ) {
      JsonNode m = it.next();
      if (m.path("type").asText().equals(type)) {
        it.remove();
        return m;
      }
    }
    return customer.until(type);
  }

  private void send(WsClient customer, long conversation, String cmid, String text, String button) {
    var frame = of("type", "send", "rid", cmid, "conversation", conversation, "cmid", cmid, "text", text);
    if (button != null) {
      frame.put("button", button);
    }
    customer.send(frame);
    for (JsonNode m = customer.next(); !m.path("type").asText().equals("ack"); m = customer.next()) {
      if (m.path("type").asText().equals("message") || m.path("type").asText().equals("closed")) {
        early.add(m);
      }
    }
  }

  private static List<String> buttonIds(JsonNode m) {
    List<String> ids = new ArrayList<>();
    m.path("buttons").forEach(b -> ids.add(b.path("id").asText()));
    return ids;
  }

  private static void writes(Bot b, JsonNode body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    Http.Response r = server.http().sendSigned("POST", "/channels/" + b.s().tenant() + "/app/inbound",
        Map.of(InboundSignature.HEADER, InboundSignature.header(b.secret(), Instant.now().getEpochSecond(), bytes)),
        bytes);
    assertEquals(200, r.status(), r.body().toString());
  }

  private static List<JsonNode> delivered(String user, int count) {
    return Eventually.eventually(count + " items delivered to " + user,
        () -> received.stream().filter(x -> x.path("user").asText().equals(user)).toList(), l -> l.size() >= count);
  }

  /** The range around today in UTC, so a run across midnight still holds every conversation. */
  private static String range() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    return "&from=" + today.minusDays(1) + "&to=" + today.plusDays(1) + "&timezone=UTC";
  }

  @Test
  void realConversationsGiveExactFiguresInJsonAndCsvToThoseWhoMaySeeThem() {
    Bot b = withBot();
    TestServer.Setup s = b.s();
    String chosenQuestion;
    try (WsClient w1 = server.customer(); WsClient w2 = server.customer(); WsClient w3 = server.customer();
        WsClient w4 = server.customer(); WsClient w5 = server.customer()) {
      // 1: an FAQ answer at the menu, rated helpful, then goodbye: contained, ended by the bot.
      long c1 = start(s, w1);
      send(w1, c1, "a1", "배송은 언제 오나요?", null);
      JsonNode answer = bot(w1);
      assertEquals("보통 2~3일 걸립니다.", answer.path("text").asText());
      assertEquals(List.of("_helpful", "_unhelpful"), buttonIds(answer));
      assertEquals("도움이 됐어요", answer.path("buttons").get(0).path("label").asText());
      assertEquals(List.of("order", "talk", "bye", "later"), buttonIds(bot(w1)));
      send(w1, c1, "a2", "도움이 됐어요", "_helpful");
      assertEquals("의견 감사합니다. 더 궁금하신 점이 있으면 말씀해 주세요.", bot(w1).path("text").asText());
      assertEquals(List.of("order", "talk", "bye", "later"), buttonIds(bot(w1)), "the bot goes on where it was");
      send(w1, c1, "a3", "종료", "bye");
      bot(w1);
      assertEquals("bot", next(w1, "closed").path("reason").asText());

      // 2: unsure, a suggestion chosen, rated not helpful: an apology, the fallback, a hand-off.
      long c2 = start(s, w2);
      send(w2, c2, "b1", "비밀번호 까먹었어요", null);
      JsonNode offered = bot(w2);
      assertEquals("_faq1", offered.path("buttons").get(0).path("id").asText(), offered::toString);
      chosenQuestion = offered.path("buttons").get(0).path("label").asText();
      send(w2, c2, "b2", chosenQuestion, "_faq1");
      assertEquals(List.of("_helpful", "_unhelpful"), buttonIds(bot(w2)));
      bot(w2);
      send(w2, c2, "b3", "도움이 안 됐어요", "_unhelpful");
      assertEquals("도움이 되지 못해 죄송해요.", bot(w2).path("text").asText());
      assertEquals("상담원을 연결할게요.", bot(w2).path("text").asText());
      assertEquals("상담원을 연결합니다.", bot(w2).path("text").asText());

      // 3: an offline inquiry: contained, ended by the bot, one inquiry.
      long c3 = start(s, w3);
      send(w3, c3, "c1", "나중에 연락 주세요", "later");
      bot(w3);
      send(w3, c3, "c2", "010-5555-6666", null);
      bot(w3);
      assertEquals("bot", next(w3, "closed").path("reason").asText());

      // 4: the customer leaves while the bot has it: contained, left.
      long c4 = start(s, w4);
      assertEquals("customer", w4.send(of("type", "leave", "rid", "l", "conversation", c4)).until("closed")
          .path("reason").asText());

      // 5: text nobody understands: an unanswered question, the fallback, a hand-off.
      long c5 = start(s, w5);
      send(w5, c5, "e1", "ㅋㅋㅋ", null);
      assertEquals("상담원을 연결할게요.", bot(w5).path("text").asText());
      assertEquals("상담원을 연결합니다.", bot(w5).path("text").asText());

      // The queue's figures are as before: none of these was offered to an agent (the two handed off still wait;
      // asked while their customers are here, so neither has been abandoned yet).
      JsonNode queue = server.http().expect(200, "GET", "/api/stats?scope=" + s.tenant() + range(), b.tenantAdmin(),
          null);
      assertEquals(0, queue.path("total").path("offered").asLong(), queue::toString);
    }
    // 6: the custom channel: an answer rated helpful, then goodbye by a bare number.
    writes(b, of("user", "u6", "mid", "m1", "text", "안녕하세요"));
    delivered("u6", 1);
    writes(b, of("user", "u6", "mid", "m2", "text", "배송 기간"));
    JsonNode channelAnswer = delivered("u6", 3).get(1);
    assertEquals(List.of("_helpful", "_unhelpful"), buttonIds(channelAnswer), channelAnswer::toString);
    writes(b, of("user", "u6", "mid", "m3", "text", "도움이 됐어요", "button", "_helpful"));
    delivered("u6", 5);
    writes(b, of("user", "u6", "mid", "m4", "text", "3"));
    assertEquals("closed", delivered("u6", 7).get(6).path("type").asText());

    String path = "/api/stats/bot?scope=" + s.tenant() + range();
    JsonNode report = Eventually.eventually("all six conversations counted",
        () -> server.http().expect(200, "GET", path, b.tenantAdmin(), null),
        r -> r.path("total").path("conversations").asLong() == 6 && r.path("total").path("handedOff").asLong() == 2);
    String figures = "{\"conversations\":6,\"contained\":4,\"endedByBot\":3,\"inquiries\":1,\"leftWithBot\":1,"
        + "\"handedOff\":2,\"containmentRate\":0.6667,\"handOffRate\":0.3333,\"faqQuestions\":4,\"faqAnswered\":2,"
        + "\"faqSuggested\":1,\"faqChosen\":1,\"faqHits\":3,\"faqHitRate\":0.75,\"helpful\":2,\"unhelpful\":1,"
        + "\"helpfulRate\":0.6667}";
    assertEquals(figures, report.path("total").toString());
    assertEquals(3, report.path("intervals").size());
    assertEquals(report.path("total"), report.path("intervals").get(1).path("figures"), "all of them today");
    assertEquals(1, report.path("scenarios").size());
    assertEquals(b.scenario(), report.path("scenarios").get(0).path("id").asLong());
    assertEquals("상담봇", report.path("scenarios").get(0).path("name").asText());
    assertEquals(figures, report.path("scenarios").get(0).path("figures").toString());
    JsonNode app = report.path("channels").get(0);
    assertEquals("app", app.path("channel").asText());
    assertEquals("CUSTOM", app.path("kind").asText());
    assertEquals("{\"conversations\":1,\"contained\":1,\"endedByBot\":1,\"inquiries\":0,\"leftWithBot\":0,"
        + "\"handedOff\":0,\"containmentRate\":1.0,\"handOffRate\":0.0,\"faqQuestions\":1,\"faqAnswered\":1,"
        + "\"faqSuggested\":0,\"faqChosen\":0,\"faqHits\":1,\"faqHitRate\":1.0,\"helpful\":1,\"unhelpful\":0,"
        + "\"helpfulRate\":1.0}", app.path("figures").toString());
    JsonNode web = report.path("channels").get(1);
    assertEquals("web", web.path("channel").asText());
    assertEquals("WEB", web.path("kind").asText());
    assertEquals("{\"conversations\":5,\"contained\":3,\"endedByBot\":2,\"inquiries\":1,\"leftWithBot\":1,"
        + "\"handedOff\":2,\"containmentRate\":0.6,\"handOffRate\":0.4,\"faqQuestions\":3,\"faqAnswered\":1,"
        + "\"faqSuggested\":1,\"faqChosen\":1,\"faqHits\":2,\"faqHitRate\":0.6667,\"helpful\":1,\"unhelpful\":1,"
        + "\"helpfulRate\":0.5}", web.path("figures").toString());
    // Per entry: the delivery answer given twice and found helpful twice; the chosen one once, not helpful.
    long chosen = chosenQuestion.startsWith("카드") ? b.faq().get("card-pin") : b.faq().get("login");
    assertEquals("[{\"id\":" + b.faq().get("delivery") + ",\"question\":\"배송은 언제 오나요?\",\"answered\":2,"
        + "\"helpful\":2,\"unhelpful\":0},{\"id\":" + chosen + ",\"question\":\"" + chosenQuestion + "\","
        + "\"answered\":1,\"helpful\":0,\"unhelpful\":1}]", report.path("faq").toString());

    // Filters: one channel, a kind, the scenario; the manager of seoul sees the same.
    JsonNode onlyApp = server.http().expect(200, "GET", path.replace("scope=" + s.tenant(),
        "scope=" + s.tenant() + "/seoul") + "&channel=app", b.manager(), null);
    assertEquals(app.path("figures"), onlyApp.path("total"));
    assertEquals(web.path("figures"), server.http().expect(200, "GET", path.replace("scope=" + s.tenant(),
        "scope=" + s.tenant() + "/seoul") + "&channelKind=web&scenario=" + b.scenario(), b.manager(), null)
        .path("total"));
    assertEquals(0, server.http().expect(200, "GET", path + "&channelKind=KAKAO", b.tenantAdmin(), null)
        .path("total").path("conversations").asLong(), "no Kakao channel: nothing");

    Http.Download csv = server.http().download(path + "&format=csv", b.tenantAdmin());
    assertEquals(200, csv.status());
    assertEquals("text/csv; charset=utf-8", csv.header("Content-Type"));
    assertTrue(csv.header("Content-Disposition").contains("sangdam-bot-stats-" + s.tenant() + "-"),
        csv.header("Content-Disposition"));
    String text = new String(csv.body(), StandardCharsets.UTF_8);
    String[] lines = text.split("\r\n");
    assertEquals("\uFEFF구간 시작,봇 상담,봇 완결,봇 종료,문의 접수,봇 상담 중 이탈,상담원 연결,봇 완결률,상담원 연결률,FAQ 질문,"
        + "FAQ 즉시 답변,FAQ 추천,FAQ 추천 선택,FAQ 적중,FAQ 적중률,도움됨,도움 안 됨,도움됨 비율", lines[0]);
    assertEquals(8, lines.length, text);
    assertEquals("합계,6,4,3,1,1,2,0.6667,0.3333,4,2,1,1,3,0.75,2,1,0.6667", lines[4]);
    assertEquals("\"시나리오 상담봇\",6,4,3,1,1,2,0.6667,0.3333,4,2,1,1,3,0.75,2,1,0.6667", lines[5]);
    assertEquals("채널 app,1,1,1,0,0,0,1.0,0.0,1,1,0,0,1,1.0,1,0,1.0", lines[6]);
    assertTrue(text.endsWith("채널 web,5,3,2,1,1,2,0.6,0.4,3,1,1,1,2,0.6667,1,1,0.5\r\n"), text);
    JsonNode audit = server.http().expect(200, "GET", "/api/audit?tenant=" + s.tenant() + "&action=stats.export",
        s.adminToken(), null);
    assertTrue(audit.toString().contains("bot "), audit::toString);
  }

  @Test
  void outsideTheScopeIsRefusedAndBadParametersAreNamed() {
    Bot b = withBot();
    String t = b.s().tenant();
    String ok = "&from=2026-12-01&to=2026-12-02";
    refused(403, "forbidden", "/api/stats/bot?scope=" + t + "/seoul" + ok, b.s().agentToken());
    refused(403, "forbidden", "/api/stats/bot?scope=" + t + ok, b.manager());
    refused(404, "not_found", "/api/stats/bot?scope=" + t + "/seoul" + ok, b.busanManager());
    Bot other = withBot();
    refused(404, "not_found", "/api/stats/bot?scope=" + t + ok, other.tenantAdmin());
    refused(404, "not_found", "/api/stats/bot?scope=" + t + ok + "&scenario=" + other.scenario(), b.tenantAdmin());
    refused(404, "not_found", "/api/stats/bot?scope=" + t + ok + "&channel=nope", b.tenantAdmin());
    refused(401, "unauthorized", "/api/stats/bot?scope=" + t + ok, null);
    refused(422, "invalid_field", "/api/stats/bot?scope=" + t + "&from=2026-12-02&to=2026-12-01", b.tenantAdmin());
    refused(422, "invalid_field", "/api/stats/bot?scope=" + t + "&from=2024-01-01&to=2025-01-01", b.tenantAdmin());
    refused(422, "invalid_field", "/api/stats/bot?scope=" + t + "&from=2026-13-01&to=2026-12-01", b.tenantAdmin());
    refused(422, "missing_field", "/api/stats/bot?scope=" + t + "&from=2026-12-01", b.tenantAdmin());
    refused(422, "missing_field", "/api/stats/bot?from=2026-12-01&to=2026-12-01", b.tenantAdmin());
    refused(422, "invalid_field", "/api/stats/bot?scope=" + t + ok + "&interval=week", b.tenantAdmin());
    refused(422, "invalid_field", "/api/stats/bot?scope=" + t + ok + "&format=xlsx", b.tenantAdmin());
    refused(422, "invalid_field", "/api/stats/bot?scope=" + t + ok + "&scenario=1%3BDROP", b.tenantAdmin());
    refused(422, "invalid_field", "/api/stats/bot?scope=" + t + ok + "&agent=kim", b.tenantAdmin());
    refused(422, "invalid_field", "/api/stats/bot?scope=" + t + ok + "&timezone=Mars/Base", b.tenantAdmin());
    JsonNode empty = server.http().expect(200, "GET", "/api/stats/bot?scope=" + t + "/seoul/card" + ok
        + "&interval=hour", b.manager(), null);
    assertEquals(48, empty.path("intervals").size());
    assertEquals("{\"conversations\":0,\"contained\":0,\"endedByBot\":0,\"inquiries\":0,\"leftWithBot\":0,"
        + "\"handedOff\":0,\"containmentRate\":null,\"handOffRate\":null,\"faqQuestions\":0,\"faqAnswered\":0,"
        + "\"faqSuggested\":0,\"faqChosen\":0,\"faqHits\":0,\"faqHitRate\":null,\"helpful\":0,\"unhelpful\":0,"
        + "\"helpfulRate\":null}", empty.path("total").toString());
    assertEquals("[]", empty.path("scenarios").toString());
  }

  private static void refused(int status, String code, String path, String token) {
    Http.Response r = server.http().send("GET", path, token, null);
    assertEquals(status, r.status(), () -> path + " answered " + r.body());
    assertEquals(code, r.body().path("error").path("code").asText(), () -> path + " answered " + r.body());
  }
}
