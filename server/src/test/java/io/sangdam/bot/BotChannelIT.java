package io.sangdam.bot;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import com.sun.net.httpserver.HttpServer;
import io.sangdam.changes.LocalChanges;
import io.sangdam.channel.InboundSignature;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcBotStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same scenario over the custom channel: the customer writes through the signed inbound webhook, the bot's
 * messages reach the company's app through the outbox with the bot's name and buttons, a button id in the inbound
 * body answers a menu, a bare number answers it as the numbered options channels without buttons show, and the
 * hand-off and the end reach the channel as for the widget.
 */
class BotChannelIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true");
  private static final Json JSON = new Json();
  private static Database db;
  private static Directory directory;
  private static BotEditor editor;
  private static HttpServer partner;
  private static final List<JsonNode> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    var url = server.database();
    db = new Database(url.url(), url.user(), url.password(), 2, server.fieldCipher());
    directory = new Directory(new JdbcDirectoryStore(db, Clock.systemUTC(), JSON), new LocalChanges());
    JdbcBotStore store = new JdbcBotStore(db, Clock.systemUTC(), JSON);
    editor = new BotEditor(store, new CachedBotLibrary(store, JSON, Ticker.systemTicker()), directory,
        new LocalChanges());
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
    db.close();
  }

  private record Setup(TestServer.Setup s, String secret) {}

  /** A tenant whose custom channel {@code app} greets with {@link BotConversationIT#SCENARIO}, set on the channel. */
  private static Setup channelWithBot() {
    TestServer.Setup s = server.setUp();
    JsonNode created = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "app", "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl",
            "http://127.0.0.1:" + partner.getAddress().getPort() + "/out"));
    directory.load();
    Tenant tenant = directory.tenantByCode(s.tenant()).orElseThrow();
    Center center = directory.center(tenant.id(), s.center()).orElseThrow();
    String body = BotConversationIT.SCENARIO;
    SavedScenario saved = editor.create(tenant.id(), JSON.readObject(body), body, null, null);
    editor.setEntry(tenant.id(), BotEditor.Place.channel(channelId(tenant.id()), center.id()), saved.id(), null);
    return new Setup(s, created.path("secret").asText());
  }

  private static long channelId(long tenantId) {
    var url = server.database();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url.url(), url.user(), url.password());
        java.sql.PreparedStatement ps = c.prepareStatement("SELECT id FROM channel WHERE tenant_id = ? AND code = 'app'")) {
      ps.setLong(1, tenantId);
      java.sql.ResultSet rs = ps.executeQuery();
      assertTrue(rs.next());
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static long writes(Setup ch, JsonNode body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    Http.Response r = server.http().sendSigned("POST", "/channels/" + ch.s().tenant() + "/app/inbound",
        Map.of(InboundSignature.HEADER, InboundSignature.header(ch.secret(), Instant.now().getEpochSecond(), bytes)),
        bytes);
    assertEquals(200, r.status(), r.body().toString());
    return r.body().path("conversation").asLong();
  }

  /** What the channel got for {@code user}, once it has {@code count} items. */
  private static List<JsonNode> delivered(String user, int count) {
    return Eventually.eventually(count + " items delivered to " + user,
        () -> received.stream().filter(b -> b.path("user").asText().equals(user)).toList(), l -> l.size() >= count);
  }

  @Test
  void aMenuByButtonAFormAndAHandOffOverTheCustomChannel() {
    Setup ch = channelWithBot();
    try (WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", ch.s().agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      long id = writes(ch, of("user", "u1", "mid", "m1", "text", "안녕하세요"));
      JsonNode menu = delivered("u1", 1).get(0);
      assertEquals("message", menu.path("type").asText());
      assertEquals("bot", menu.path("from").asText());
      assertEquals("상담봇", menu.path("name").asText());
      assertEquals("무엇을 도와드릴까요?", menu.path("text").asText());
      assertEquals("order", menu.path("buttons").get(0).path("id").asText(), menu::toString);
      assertEquals("주문 조회", menu.path("buttons").get(0).path("label").asText());

      assertEquals(id, writes(ch, of("user", "u1", "mid", "m2", "text", "주문 조회", "button", "order")));
      assertEquals("휴대폰 번호를 알려 주세요.", delivered("u1", 3).get(2).path("text").asText());
      writes(ch, of("user", "u1", "mid", "m3", "text", "010-2222-3333"));
      assertEquals("주문번호를 알려 주세요.", delivered("u1", 4).get(3).path("text").asText());
      writes(ch, of("user", "u1", "mid", "m4", "text", "A-20261202"));
      assertEquals("상담원을 연결합니다.", delivered("u1", 5).get(4).path("text").asText());
      JsonNode assigned = agent.until("assigned");
      assertEquals(id, assigned.path("conversation").path("id").asLong());
      assertEquals("app", assigned.path("conversation").path("channel").asText());
      List<Long> seqs = delivered("u1", 5).stream().map(b -> b.path("seq").asLong()).toList();
      for (int i = 1; i < seqs.size(); i++) {
        assertTrue(seqs.get(i) > seqs.get(i - 1), "in seq order: " + seqs);
      }
    }
  }

  /**
   * "No bot" for one channel of a center whose entry has a scenario: the channel's entry, the most specific, says so
   * over REST, and its customers go straight to the queue while the widget's still meet the center's bot; removing
   * it gives the channel the center's bot back. A "scenario" that is neither an id nor null is refused and changes
   * nothing.
   */
  @Test
  void aChannelSaidToHaveNoBotGoesStraightToItsQueueWhileItsCenterKeepsTheBot() {
    Setup ch = channelWithBot();
    TestServer.Setup s = ch.s();
    Http http = server.http();
    String admin = s.adminToken();
    String entries = "/api/tenants/" + s.tenant() + "/scenario-entries";
    long scenario = http.expect(200, "GET", "/api/tenants/" + s.tenant() + "/scenarios", admin, null).get(0)
        .path("id").asLong();
    http.expect(200, "PUT", entries, admin, of("center", "seoul", "scenario", scenario));
    JsonNode noBot = http.expect(200, "PUT", entries, admin, "{\"channel\": \"app\", \"scenario\": null}");
    assertEquals("channel", noBot.path("level").asText(), noBot::toString);
    assertTrue(noBot.path("scenario").isNull(), noBot::toString);
    for (String bad : List.of("\"x\"", "0", "-1", "true", "{}", "[]")) {
      Http.Response r = http.send("PUT", entries, admin, "{\"channel\": \"app\", \"scenario\": " + bad + "}");
      assertEquals(422, r.status(), bad + ": " + r.body());
      assertEquals("invalid_field", r.errorCode(), bad + ": " + r.body());
    }
    JsonNode listed = http.expect(200, "GET", entries, admin, null);
    assertEquals(2, listed.size(), listed::toString);
    for (JsonNode e : listed) {
      assertEquals(e.path("level").asText().equals("channel"), e.path("scenario").isNull(), listed::toString);
    }

    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      long id = writes(ch, of("user", "u3", "mid", "o1", "text", "안녕하세요"));
      assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong(), "straight to the queue");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
      JsonNode started = customer.send(of("type", "start", "rid", "s", "queue", s.queue())).next("started");
      assertEquals("BOT", started.path("conversation").path("state").asText(), "the widget meets the center's bot");
    }
    http.expect(204, "DELETE", entries, admin, of("channel", "app"));
    writes(ch, of("user", "u4", "mid", "p1", "text", "안녕하세요"));
    assertEquals("bot", delivered("u4", 1).get(0).path("from").asText(), "the center's bot again");
  }

  @Test
  void aBareNumberAnswersTheNumberedOptionsAndTheEndReachesTheChannel() {
    Setup ch = channelWithBot();
    writes(ch, of("user", "u2", "mid", "n1", "text", "문의요"));
    delivered("u2", 1);
    writes(ch, of("user", "u2", "mid", "n2", "text", "3"));
    List<JsonNode> items = delivered("u2", 3);
    assertEquals("이용해 주셔서 감사합니다.", items.get(1).path("text").asText(), items::toString);
    assertEquals("closed", items.get(2).path("type").asText(), items::toString);
    assertEquals("bot", items.get(2).path("reason").asText(), items::toString);
  }
}
