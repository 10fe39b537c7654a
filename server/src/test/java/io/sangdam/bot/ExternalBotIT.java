package io.sangdam.bot;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.changes.LocalChanges;
import io.sangdam.channel.InboundSignature;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcBotStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A scenario's externalBot node against a company's bot as a fake on 127.0.0.1 that verifies our signature and
 * answers as told: synchronously, with 202 and later over REST, with garbage, a 500, too much, an unknown action,
 * too slowly, or never; or that is down. Each path end to end with real conversations (the widget, and a custom channel handed to the
 * bot whole), plus the endpoints' configuration over REST.
 */
class ExternalBotIT {
  private static final ManualTime time = new ManualTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true").withTime(time);
  private static final Json JSON = new Json();
  private static final String SORRY = "지금은 AI 상담이 어려워요.";
  private static Database db;
  private static Directory directory;
  private static BotEditor editor;
  private static HttpServer company;
  private static ExecutorService companyThreads;
  /** Every POST the fake bot received, in order. */
  private static final List<Received> received = new CopyOnWriteArrayList<>();
  /** The signing secret of each endpoint the fake bot serves, by its path's last segment (the endpoint's code). */
  private static final Map<String, String> secrets = new ConcurrentHashMap<>();
  /** What the custom channel's app was delivered. */
  private static final List<JsonNode> delivered = new CopyOnWriteArrayList<>();
  /** Holds the slow bot's answers until the test is done with them. */
  private static final CountDownLatch slowRelease = new CountDownLatch(1);

  private record Received(String endpoint, JsonNode body, boolean signed, String delivery) {}

  @BeforeAll
  static void start() throws IOException {
    var url = server.database();
    db = new Database(url.url(), url.user(), url.password(), 2, server.fieldCipher());
    directory = new Directory(new JdbcDirectoryStore(db, time, JSON), new LocalChanges());
    JdbcBotStore store = new JdbcBotStore(db, time, JSON);
    editor = new BotEditor(store, new CachedBotLibrary(store, JSON, Ticker.systemTicker()), directory,
        new LocalChanges());
    company = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    companyThreads = Executors.newCachedThreadPool();
    company.setExecutor(companyThreads);
    company.createContext("/bot/", ExternalBotIT::answer);
    company.createContext("/out", exchange -> {
      delivered.add(io.sangdam.testing.Json.parse(new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    company.start();
  }

  @AfterAll
  static void stop() {
    slowRelease.countDown();
    company.stop(0);
    companyThreads.shutdownNow();
    db.close();
  }

  /**
   * The company's bot. Its behaviour is the endpoint code's first word: {@code sync} answers each message, and
   * hands off when the customer presses "yes"; {@code async} answers 202; the others fail in their own way.
   */
  private static void answer(HttpExchange exchange) throws IOException {
    String code = exchange.getRequestURI().getPath().substring("/bot/".length());
    byte[] body = exchange.getRequestBody().readAllBytes();
    boolean signed = new InboundSignature(time).verifies(exchange.getRequestHeaders().getFirst("X-Sangdam-Signature"),
        body, secrets.getOrDefault(code, "?"));
    JsonNode request = io.sangdam.testing.Json.parse(new String(body, StandardCharsets.UTF_8));
    received.add(new Received(code, request, signed, exchange.getRequestHeaders().getFirst("X-Sangdam-Delivery")));
    if (!signed) {
      reply(exchange, 401, "{}");
      return;
    }
    String behaviour = code.split("-")[0];
    switch (behaviour) {
      case "sync" -> reply(exchange, 200, "yes".equals(request.path("button").asText())
          ? "{\"messages\":[{\"text\":\"상담원에게 넘길게요.\"}],\"action\":\"handoff\","
              + "\"fields\":[{\"name\":\"intent\",\"label\":\"문의 유형\",\"value\":\"카드 분실\"}]}"
          : "{\"messages\":[{\"text\":\"'" + request.path("text").asText() + "' 말씀이시죠? 분실 신고를 도와드릴까요?\","
              + "\"buttons\":[{\"id\":\"yes\",\"label\":\"네\"}]}],\"action\":\"wait\"}");
      case "async", "never" -> reply(exchange, 202, "");
      case "garbage" -> reply(exchange, 200, "<html>oops</html>");
      case "error" -> reply(exchange, 500, "{\"error\":\"model overloaded\"}");
      case "huge" -> reply(exchange, 200, "{\"action\":\"wait\",\"messages\":[{\"text\":\"" + "가".repeat(40_000)
          + "\"}]}");
      case "unknown" -> reply(exchange, 200, "{\"action\":\"transfer\"}");
      case "slow" -> {
        try {
          slowRelease.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        reply(exchange, 200, "{\"action\":\"wait\"}");
      }
      default -> reply(exchange, 404, "{}");
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try {
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    } catch (IOException gone) {
      // The server stopped waiting (the slow bot): nobody reads this answer.
    } finally {
      exchange.close();
    }
  }

  /** The scenario: a greeting, a phone number (personal), then the external bot {@code endpoint}. */
  private static String scenario(String endpoint) {
    return """
        {"name": "AI봇", "start": "hi", "fallback": {"text": "상담원을 연결할게요.", "next": "agent"},
         "nodes": [
           {"id": "hi", "type": "message", "text": "AI 상담을 시작합니다.", "next": "phone"},
           {"id": "phone", "type": "form", "next": "ai", "fields": [
             {"name": "phone", "type": "phone", "label": "휴대폰", "prompt": "휴대폰 번호를 알려 주세요.",
              "personal": true}]},
           {"id": "ai", "type": "externalBot", "endpoint": "%s", "next": "agent", "failure": "sorry"},
           {"id": "sorry", "type": "message", "text": "%s", "next": "agent"},
           {"id": "agent", "type": "handoff", "text": "상담원을 연결합니다.", "queue": "card"}]}
        """.formatted(endpoint, SORRY);
  }

  /** An endpoint of the tenant at the fake bot, {@code code} saying how it behaves; its token. */
  private static String endpoint(TestServer.Setup s, String code, int replyWithinSeconds) {
    return endpoint(s, code, replyWithinSeconds, "http://127.0.0.1:" + company.getAddress().getPort() + "/bot/" + code);
  }

  private static String endpoint(TestServer.Setup s, String code, int replyWithinSeconds, String url) {
    JsonNode created = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/bot-endpoints",
        s.adminToken(), of("code", code, "name", "회사 AI " + code, "url", url, "timeoutSeconds", 1,
            "replyWithinSeconds", replyWithinSeconds));
    secrets.put(code, created.path("secret").asText());
    return created.path("token").asText();
  }

  private static Tenant tenant(TestServer.Setup s) {
    directory.refresh();
    return directory.tenantByCode(s.tenant()).orElseThrow();
  }

  /** The tenant's queue card greets with the scenario whose externalBot node names {@code endpoint}. */
  private static void onQueue(TestServer.Setup s, String endpoint) {
    Tenant tenant = tenant(s);
    Center center = directory.center(tenant.id(), s.center()).orElseThrow();
    Queue card = directory.queue(center.id(), s.queue()).orElseThrow();
    String body = scenario(endpoint);
    SavedScenario saved = editor.create(tenant.id(), JSON.readObject(body), body, null, null);
    editor.setEntry(tenant.id(), BotEditor.Place.queue(center.id(), card.id()), saved.id(), null);
  }

  /** Messages that came before the ack of the customer's send (the bot may answer before the ack is read). */
  private final ArrayDeque<JsonNode> early = new ArrayDeque<>();

  private JsonNode bot(WsClient customer) {
    JsonNode m = early.isEmpty() ? customer.until("message") : early.poll();
    assertEquals("bot", m.path("from").asText(), m::toString);
    return m;
  }

  private void send(WsClient customer, long conversation, String cmid, String text, String button) {
    var frame = of("type", "send", "rid", cmid, "conversation", conversation, "cmid", cmid, "text", text);
    if (button != null) {
      frame.put("button", button);
    }
    customer.send(frame);
    for (JsonNode m = customer.next(); !m.path("type").asText().equals("ack"); m = customer.next()) {
      if (m.path("type").asText().equals("message")) {
        early.add(m);
      }
    }
  }

  /** Starts a conversation, answers the phone number: it is at the external bot. */
  private long toTheBot(TestServer.Setup s, WsClient customer) {
    customer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
    JsonNode started = customer.send(of("type", "start", "rid", "s", "queue", s.queue())).next("started");
    assertEquals("BOT", started.path("conversation").path("state").asText(), started::toString);
    long id = started.path("conversation").path("id").asLong();
    assertEquals("AI 상담을 시작합니다.", bot(customer).path("text").asText());
    assertEquals("휴대폰 번호를 알려 주세요.", bot(customer).path("text").asText());
    send(customer, id, "p", "010-9876-5432", null);
    return id;
  }

  private static WsClient onlineAgent(TestServer.Setup s) {
    WsClient agent = server.agent();
    agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
    agent.send(of("type", "status", "status", "ONLINE")).next("status");
    return agent;
  }

  private static List<Received> receivedBy(String code, int count) {
    return Eventually.eventually(count + " POSTs to " + code,
        () -> received.stream().filter(r -> r.endpoint().equals(code)).toList(), l -> l.size() >= count);
  }

  private static Http.Response replyOverRest(long conversation, String token, String body) {
    return server.http().send("POST", "/api/bot/conversations/" + conversation + "/reply", token,
        "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSyncBotTalksWithTheCustomerAndHandsOffWithItsFieldsShownToTheAgent() throws Exception {
    TestServer.Setup s = server.setUp();
    String code = server.uniqueCode("sync-");
    endpoint(s, code, 60);
    onQueue(s, code);
    try (WsClient agent = onlineAgent(s); WsClient customer = server.customer()) {
      long id = toTheBot(s, customer);
      agent.assertNothingSoFar("the bot has it");
      send(customer, id, "c1", "카드를 잃어버렸어요", null);
      JsonNode asked = bot(customer);
      assertEquals("'카드를 잃어버렸어요' 말씀이시죠? 분실 신고를 도와드릴까요?", asked.path("text").asText());
      assertEquals("AI봇", asked.path("name").asText());
      assertEquals("yes", asked.path("buttons").get(0).path("id").asText(), asked::toString);

      Received first = receivedBy(code, 1).get(0);
      assertTrue(first.signed(), "signed as our webhooks are");
      JsonNode r = first.body();
      assertEquals(id + "-" + r.path("seq").asLong(), r.path("id").asText());
      assertEquals(r.path("id").asText(), first.delivery());
      assertEquals(id, r.path("conversation").asLong());
      assertEquals(s.tenant(), r.path("tenant").asText());
      assertEquals("seoul", r.path("center").asText());
      assertEquals("card", r.path("queue").asText());
      assertEquals("web", r.path("channel").asText());
      assertEquals("카드를 잃어버렸어요", r.path("text").asText());
      assertTrue(r.path("button").isNull(), r::toString);
      assertEquals("휴대폰", r.path("fields").get(0).path("label").asText());
      assertFalse(r.path("fields").get(0).path("value").asText().contains("9876"), "a personal field is masked: " + r);
      assertEquals("/api/bot/conversations/" + id + "/reply", r.path("replyUrl").asText());

      send(customer, id, "c2", "네", "yes");
      assertEquals("상담원에게 넘길게요.", bot(customer).path("text").asText());
      assertEquals("상담원을 연결합니다.", bot(customer).path("text").asText());
      assertEquals("yes", receivedBy(code, 2).get(1).body().path("button").asText());
      assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong());
      JsonNode history = agent.send(of("type", "history", "rid", "h", "conversation", id)).next("history");
      JsonNode fields = history.path("botFields");
      assertEquals(2, fields.size(), history::toString);
      assertEquals("문의 유형", fields.get(1).path("label").asText());
      assertEquals("카드 분실", fields.get(1).path("value").asText());
    }
  }

  @Test
  void aWidgetConversationGivenWholeToTheBotSendsItTheFirstMessageAndOnlyButtonsItOffered() throws Exception {
    TestServer.Setup s = server.setUp();
    String code = server.uniqueCode("sync-");
    endpoint(s, code, 60);
    Tenant tenant = tenant(s);
    Center center = directory.center(tenant.id(), s.center()).orElseThrow();
    String body = """
        {"name": "AI봇", "start": "ai", "fallback": {"text": "상담원을 연결할게요.", "next": "agent"},
         "nodes": [
           {"id": "ai", "type": "externalBot", "endpoint": "%s", "next": "agent", "failure": "agent"},
           {"id": "agent", "type": "handoff", "queue": "card"}]}
        """.formatted(code);
    SavedScenario saved = editor.create(tenant.id(), JSON.readObject(body), body, null, null);
    editor.setEntry(tenant.id(), BotEditor.Place.center(center.id()), saved.id(), null);
    try (WsClient agent = onlineAgent(s); WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
      long id = customer.send(of("type", "start", "rid", "s", "queue", s.queue())).next("started")
          .path("conversation").path("id").asLong();
      // Nothing is said before the customer writes, so their first message is message 1: the bot hears it.
      send(customer, id, "c1", "카드를 잃어버렸어요", null);
      assertEquals("'카드를 잃어버렸어요' 말씀이시죠? 분실 신고를 도와드릴까요?", bot(customer).path("text").asText());
      JsonNode first = receivedBy(code, 1).get(0).body();
      assertEquals(1, first.path("seq").asLong(), first::toString);
      assertEquals("카드를 잃어버렸어요", first.path("text").asText());

      // A button the bot never offered is passed on as what the customer typed, not as a click.
      send(customer, id, "c2", "환불 확정", "confirm_refund");
      bot(customer);
      JsonNode forged = receivedBy(code, 2).get(1).body();
      assertTrue(forged.path("button").isNull(), forged::toString);
      assertEquals("환불 확정", forged.path("text").asText());

      send(customer, id, "c3", "네", "yes");
      assertEquals("yes", receivedBy(code, 3).get(2).body().path("button").asText());
      assertEquals("상담원에게 넘길게요.", bot(customer).path("text").asText());
      assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong());
      assertEquals(3, received.stream().filter(r -> r.endpoint().equals(code)).count(), "each message asked once");
    }
  }

  @Test
  void anAsyncBotRepliesOverRestWithItsTokenAndEveryWrongReplyIsRefusedClearly() throws Exception {
    TestServer.Setup s = server.setUp();
    String code = server.uniqueCode("async-");
    String token = endpoint(s, code, 60);
    onQueue(s, code);
    TestServer.Setup other = server.setUp();
    String otherToken = endpoint(other, server.uniqueCode("async-"), 60);
    try (WsClient customer = server.customer()) {
      long id = toTheBot(s, customer);
      send(customer, id, "c1", "해지하고 싶어요", null);
      String requestId = receivedBy(code, 1).get(0).body().path("id").asText();
      String wait = "{\"inReplyTo\":\"" + requestId + "\",\"messages\":[{\"text\":\"해지 사유를 알려 주세요.\"}],"
          + "\"action\":\"wait\"}";

      assertEquals(401, replyOverRest(id, null, wait).status());
      assertEquals(401, replyOverRest(id, "not-a-token", wait).status());
      assertEquals(401, replyOverRest(id, "A".repeat(43), wait).status());
      assertEquals(404, replyOverRest(id, otherToken, wait).status(), "another tenant's bot");
      assertEquals(404, replyOverRest(999_999_999L, token, wait).status());
      Http.Response garbage = replyOverRest(id, token, "{\"inReplyTo\":\"" + requestId + "\",\"action\":\"jump\"}");
      assertEquals(422, garbage.status());
      assertEquals("invalid_field", garbage.errorCode());
      assertEquals(422, replyOverRest(id, token, "{\"action\":\"wait\"}").status(), "inReplyTo is required");
      assertEquals(409, replyOverRest(id, token, wait.replace(requestId, id + "-99")).status(), "never asked");

      assertEquals(200, replyOverRest(id, token, wait).status());
      assertEquals("해지 사유를 알려 주세요.", bot(customer).path("text").asText());
      assertEquals(409, replyOverRest(id, token, wait).status(), "answered already");

      send(customer, id, "c2", "요금이 비싸서요", null);
      String second = receivedBy(code, 2).get(1).body().path("id").asText();
      assertEquals(200, replyOverRest(id, token, "{\"inReplyTo\":\"" + second + "\",\"messages\":[{\"text\":"
          + "\"해지를 접수했어요. 안녕히 가세요.\"}],\"action\":\"end\"}").status());
      assertEquals("해지를 접수했어요. 안녕히 가세요.", bot(customer).path("text").asText());
      JsonNode closed = customer.until("closed");
      assertEquals("bot", closed.path("reason").asText(), closed::toString);
      assertEquals(409, replyOverRest(id, token, wait).status(), "the conversation moved on");
    }
  }

  /** Each way a bot fails: the scenario's failure exit (said, then handed off), the failure counted by its result. */
  @ParameterizedTest
  @CsvSource({"garbage, invalid", "error, refused", "huge, invalid", "unknown, invalid", "slow, timeout",
      "missing, no_endpoint", "down, unreachable"})
  void aBotThatFailsTakesTheFailureExitToTheScenariosHandOff(String behaviour, String result) throws Exception {
    TestServer.Setup s = server.setUp();
    String code = server.uniqueCode(behaviour + "-");
    if (behaviour.equals("down")) {
      endpoint(s, code, 60, "http://127.0.0.1:" + closedPort() + "/bot");
    } else if (!behaviour.equals("missing")) {
      endpoint(s, code, 60);
    }
    onQueue(s, code);
    double before = counted(result);
    try (WsClient agent = onlineAgent(s); WsClient customer = server.customer()) {
      long id = toTheBot(s, customer);
      send(customer, id, "c1", "카드 분실 신고요", null);
      assertEquals(SORRY, bot(customer).path("text").asText());
      assertEquals("상담원을 연결합니다.", bot(customer).path("text").asText());
      assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong());
    }
    Eventually.eventually("sangdam.bot.external{result=" + result + "} counted", () -> counted(result) > before);
  }

  @Test
  void aReplyPromisedWith202ThatNeverComesTakesTheFailureExitAfterTheBound() throws Exception {
    TestServer.Setup s = server.setUp();
    String code = server.uniqueCode("never-");
    String token = endpoint(s, code, 30);
    onQueue(s, code);
    double before = counted("no_reply");
    try (WsClient agent = onlineAgent(s); WsClient customer = server.customer()) {
      long id = toTheBot(s, customer);
      send(customer, id, "c1", "여보세요?", null);
      String requestId = receivedBy(code, 1).get(0).body().path("id").asText();
      time.awaitTaskDueIn(Duration.ofSeconds(30));
      agent.assertNothingSoFar("the bot still has it while its reply may come");
      time.advance(Duration.ofSeconds(30));
      assertEquals(SORRY, bot(customer).path("text").asText());
      assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong());
      assertEquals(409, replyOverRest(id, token, "{\"inReplyTo\":\"" + requestId + "\",\"action\":\"wait\"}")
          .status(), "too late");
    }
    assertTrue(counted("no_reply") > before);
  }

  @Test
  void aCustomChannelHandedWholeToTheBotHasItsOpeningTextAnsweredByTheBot() throws Exception {
    TestServer.Setup s = server.setUp();
    String code = server.uniqueCode("sync-");
    endpoint(s, code, 60);
    JsonNode channel = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "app", "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl",
            "http://127.0.0.1:" + company.getAddress().getPort() + "/out"));
    Tenant tenant = tenant(s);
    Center center = directory.center(tenant.id(), s.center()).orElseThrow();
    String body = """
        {"name": "AI봇", "start": "ai", "fallback": {"text": "상담원을 연결할게요.", "next": "agent"},
         "nodes": [
           {"id": "ai", "type": "externalBot", "endpoint": "%s", "next": "agent", "failure": "agent"},
           {"id": "agent", "type": "handoff", "queue": "card"}]}
        """.formatted(code);
    SavedScenario saved = editor.create(tenant.id(), JSON.readObject(body), body, null, null);
    editor.setEntry(tenant.id(), BotEditor.Place.channel(channelId(tenant.id()), center.id()), saved.id(), null);

    byte[] inbound = of("user", "u-ext", "mid", "m1", "text", "배송 언제 와요?").toString()
        .getBytes(StandardCharsets.UTF_8);
    Http.Response r = server.http().sendSigned("POST", "/channels/" + s.tenant() + "/app/inbound",
        Map.of(InboundSignature.HEADER, InboundSignature.header(channel.path("secret").asText(),
            time.instant().getEpochSecond(), inbound)), inbound);
    assertEquals(200, r.status(), r.body().toString());
    JsonNode request = receivedBy(code, 1).get(0).body();
    assertEquals("배송 언제 와요?", request.path("text").asText());
    assertEquals(1, request.path("seq").asLong());
    assertEquals("app", request.path("channel").asText());
    JsonNode answer = Eventually.eventually("the bot's answer delivered to the app", () -> delivered.stream()
        .filter(d -> d.path("user").asText().equals("u-ext")).toList(), l -> !l.isEmpty()).get(0);
    assertEquals("'배송 언제 와요?' 말씀이시죠? 분실 신고를 도와드릴까요?", answer.path("text").asText());
    assertEquals("AI봇", answer.path("name").asText());
  }

  @Test
  void endpointsAreTheAdminsToConfigureWithTheSecretAndTokenShownOnlyWhenIssued() throws Exception {
    TestServer.Setup s = server.setUp();
    String path = "/api/tenants/" + s.tenant() + "/bot-endpoints";
    String url = "http://127.0.0.1:" + company.getAddress().getPort() + "/bot/x";
    JsonNode created = server.http().expect(201, "POST", path, s.adminToken(),
        of("code", "ai", "name", "회사 AI", "url", url));
    assertTrue(created.path("secret").asText().startsWith("bsec_"), created::toString);
    assertEquals(43, created.path("token").asText().length());
    assertEquals(5, created.path("timeoutSeconds").asInt());
    assertEquals(60, created.path("replyWithinSeconds").asInt());
    JsonNode read = server.http().expect(200, "GET", path + "/ai", s.adminToken(), null);
    assertTrue(read.path("secret").isMissingNode() && read.path("token").isMissingNode(), read::toString);
    assertEquals(1, server.http().expect(200, "GET", path, s.adminToken(), null).size());

    assertEquals(409, server.http().send("POST", path, s.adminToken(), of("code", "ai", "name", "n", "url", url))
        .status());
    for (String bad : List.of("ftp://127.0.0.1/bot", "file:///etc/passwd", "not a url",
        "http://169.254.169.254/latest/meta-data")) {
      Http.Response refused = server.http().send("POST", path, s.adminToken(), of("code", "b", "name", "n", "url",
          bad));
      assertEquals(422, refused.status(), bad);
      assertEquals("invalid_field", refused.errorCode(), bad);
    }
    assertEquals(422, server.http().send("POST", path, s.adminToken(), of("code", "b", "name", "n", "url", url,
        "timeoutSeconds", 31)).status());
    assertEquals(422, server.http().send("POST", path, s.adminToken(), of("code", "b", "name", "n", "url", url,
        "replyWithinSeconds", 1)).status());
    assertEquals(422, server.http().send("POST", path, s.adminToken(), of("code", "B C", "name", "n", "url", url))
        .status());
    assertEquals(403, server.http().send("GET", path, s.agentToken(), null).status());
    assertEquals(403, server.http().send("POST", path, s.agentToken(), of("code", "b", "name", "n", "url", url))
        .status());
    assertEquals(404, server.http().send("GET", path + "/nope", s.adminToken(), null).status());

    JsonNode changed = server.http().expect(200, "PUT", path + "/ai", s.adminToken(), of("timeoutSeconds", 10,
        "enabled", false));
    assertEquals(10, changed.path("timeoutSeconds").asInt());
    assertFalse(changed.path("enabled").asBoolean());
    assertEquals("회사 AI", changed.path("name").asText());
    assertTrue(changed.path("secret").isMissingNode());

    JsonNode rotated = server.http().expect(200, "POST", path + "/ai/rotate", s.adminToken(), null);
    assertFalse(rotated.path("secret").asText().equals(created.path("secret").asText()));
    assertFalse(rotated.path("token").asText().equals(created.path("token").asText()));

    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
        "SELECT detail FROM audit_log WHERE action LIKE 'manage.%' AND target LIKE ? ORDER BY id")) {
      ps.setString(1, path + "%");
      ResultSet rs = ps.executeQuery();
      int entries = 0;
      while (rs.next()) {
        entries++;
        String detail = rs.getString(1);
        assertFalse(detail.contains(created.path("secret").asText()) || detail.contains(rotated.path("secret")
            .asText()) || detail.contains(rotated.path("token").asText()), "secrets blanked: " + detail);
      }
      assertEquals(3, entries, "created, changed and rotated are audited");
    }
  }

  /** A port nothing listens on: one just given up by a socket of this test. */
  private static int closedPort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static double counted(String result) {
    String text = new String(server.http().download("/metrics", null).body(), StandardCharsets.UTF_8);
    String prefix = "sangdam_bot_external_total{result=\"" + result + "\"";
    return text.lines().filter(l -> l.startsWith(prefix)).map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ')
        + 1))).findFirst().orElse(0.0);
  }

  private static long channelId(long tenantId) throws SQLException {
    try (Connection c = connection();
        PreparedStatement ps = c.prepareStatement("SELECT id FROM channel WHERE tenant_id = ? AND code = 'app'")) {
      ps.setLong(1, tenantId);
      ResultSet rs = ps.executeQuery();
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static Connection connection() throws SQLException {
    var url = server.database();
    return DriverManager.getConnection(url.url(), url.user(), url.password());
  }
}
