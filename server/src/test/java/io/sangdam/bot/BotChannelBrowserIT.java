package io.sangdam.bot;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
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
import io.sangdam.testing.Browser;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/**
 * The bot over the custom channel, with the agent in headless Chromium: the test is the company's backend, posting
 * the customer's messages signed to the channel's inbound webhook and taking the bot's messages (with their buttons)
 * at its own receiver. The customer answers the menu with a button, fills the form, asks a question the FAQ
 * answers, and asks for an agent; the agent sees the bot's part of the transcript and the fields it collected (the
 * phone masked), and the agent's reply reaches the company's receiver.
 */
class BotChannelBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true");

  /** The menu comes back after the form, so the customer can ask the FAQ and then for an agent. */
  static final String SCENARIO = """
      {"name": "상담봇", "start": "menu", "fallback": {"text": "상담원을 연결할게요.", "next": "agent"},
       "nodes": [
         {"id": "menu", "type": "menu", "text": "무엇을 도와드릴까요?", "buttons": [
           {"id": "order", "label": "주문 조회", "next": "form"},
           {"id": "talk", "label": "상담원 연결", "next": "agent"}]},
         {"id": "form", "type": "form", "text": "주문 정보를 알려 주세요.", "next": "menu", "fields": [
           {"name": "phone", "type": "phone", "label": "휴대폰", "prompt": "휴대폰 번호를 알려 주세요."},
           {"name": "order", "type": "orderNumber", "label": "주문번호", "prompt": "주문번호를 알려 주세요."}]},
         {"id": "agent", "type": "handoff", "text": "상담원을 연결합니다.", "queue": "card"}
       ]}
      """;

  private final List<JsonNode> received = new CopyOnWriteArrayList<>();

  @Test
  void aChannelCustomerWalksTheMenuFormAndFaqToAnAgentWhoSeesTheBotsTranscriptAndFields() throws IOException {
    HttpServer company = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    company.createContext("/out", exchange -> {
      received.add(io.sangdam.testing.Json.parse(new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    company.start();
    try (Browser agent = Browser.open()) {
      TestServer.Setup s = server.setUp();
      String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
          of("code", "app", "kind", "CUSTOM", "center", s.center(), "queue", s.queue(), "outboundUrl",
              "http://127.0.0.1:" + company.getAddress().getPort() + "/out")).path("secret").asText();
      withBot(s);
      agent.logIn("http://127.0.0.1:" + server.port() + "/agent/", s.tenant(), "kim", "agent-pass-1");
      agent.visible("#console");
      agent.choose("#status", "ONLINE");

      writes(s, secret, of("user", "app-7", "name", "홍길동", "mid", "c1", "text", "안녕하세요"));
      JsonNode menu = botSays("무엇을 도와드릴까요?");
      assertEquals("order", menu.path("buttons").get(0).path("id").asText(), menu.toString());
      assertEquals("상담원 연결", menu.path("buttons").get(1).path("label").asText(), menu.toString());

      writes(s, secret, of("user", "app-7", "mid", "c2", "text", "주문 조회", "button", "order"));
      botSays("휴대폰 번호를 알려 주세요.");
      writes(s, secret, of("user", "app-7", "mid", "c3", "text", "010-9876-5432"));
      botSays("주문번호를 알려 주세요.");
      writes(s, secret, of("user", "app-7", "mid", "c4", "text", "A-20261202"));
      Eventually.eventually("the menu again after the form", () -> received.stream()
          .filter(b -> b.path("text").asText().equals("무엇을 도와드릴까요?")).count(), n -> n == 2);
      writes(s, secret, of("user", "app-7", "mid", "c5", "text", "배송은 언제 오나요?"));
      botSays("보통 2~3일 걸립니다.");
      writes(s, secret, of("user", "app-7", "mid", "c6", "text", "상담원 연결", "button", "talk"));
      botSays("상담원을 연결합니다.");

      agent.showing("#chats", "홍길동");
      agent.showing("#messages li.bot", "무엇을 도와드릴까요?");
      agent.showing("#messages", "주문 조회");
      agent.showing("#messages", "보통 2~3일 걸립니다.");
      agent.showing("#bot-fields-list", "주문번호");
      agent.showing("#bot-fields-list", "A-20261202");
      assertFalse(agent.visible("#bot-fields-list").getText().contains("9876"), "the phone is masked");
      agent.screenshot("bot-channel-agent");

      agent.visible("#text").sendKeys("김상담입니다. 주문 확인해 드릴게요.", Keys.ENTER);
      JsonNode reply = Eventually.eventually("the agent's reply at the company", () -> received.stream()
          .filter(b -> b.path("text").asText().equals("김상담입니다. 주문 확인해 드릴게요.")).findFirst(),
          java.util.Optional::isPresent).orElseThrow();
      assertEquals("agent", reply.path("from").asText(), reply.toString());
    } finally {
      company.stop(0);
    }
  }

  /** The tenant's queue card, where the channel routes, greets with {@link #SCENARIO}; the FAQ knows delivery. */
  private static void withBot(TestServer.Setup s) {
    Json json = new Json();
    var url = server.database();
    try (Database db = new Database(url.url(), url.user(), url.password(), 2, server.fieldCipher())) {
      Directory directory = new Directory(new JdbcDirectoryStore(db, Clock.systemUTC(), json), new LocalChanges());
      directory.load();
      JdbcBotStore store = new JdbcBotStore(db, Clock.systemUTC(), json);
      BotEditor editor = new BotEditor(store, new CachedBotLibrary(store, json, Ticker.systemTicker()), directory,
          new LocalChanges());
      Tenant tenant = directory.tenantByCode(s.tenant()).orElseThrow();
      Center center = directory.center(tenant.id(), s.center()).orElseThrow();
      Queue card = directory.queue(center.id(), s.queue()).orElseThrow();
      SavedScenario saved = editor.create(tenant.id(), json.readObject(SCENARIO), SCENARIO, null, null);
      editor.setEntry(tenant.id(), BotEditor.Place.queue(center.id(), card.id()), saved.id(), null);
      editor.addFaq(tenant.id(), "배송은 언제 오나요?", List.of(), "보통 2~3일 걸립니다.", true);
    }
  }

  /** The company's backend posts the customer's message, signed with the channel's secret. */
  private static void writes(TestServer.Setup s, String secret, JsonNode body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    Http.Response r = server.http().sendSigned("POST", "/channels/" + s.tenant() + "/app/inbound",
        Map.of(InboundSignature.HEADER, InboundSignature.header(secret, Instant.now().getEpochSecond(), bytes)),
        bytes);
    assertEquals(200, r.status(), r.body().toString());
  }

  /** The bot's message with {@code text}, once the company's receiver has it. */
  private JsonNode botSays(String text) {
    JsonNode said = Eventually.eventually("the bot's '" + text + "' at the company", () -> received.stream()
        .filter(b -> b.path("text").asText().equals(text)).reduce((a, b) -> b), java.util.Optional::isPresent)
        .orElseThrow();
    assertEquals("bot", said.path("from").asText(), said.toString());
    assertEquals("상담봇", said.path("name").asText(), said.toString());
    return said;
  }
}
