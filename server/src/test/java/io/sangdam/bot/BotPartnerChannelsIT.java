package io.sangdam.bot;

import static io.sangdam.testing.Eventually.eventually;
import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sangdam.changes.LocalChanges;
import io.sangdam.channel.kakao.FakeKakaoDealer;
import io.sangdam.channel.kakao.KakaoInbound;
import io.sangdam.channel.naver.FakeNaverPartnerApi;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcBotStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bot's menu on the partner channels, their partners local fakes that check the shapes their public specs give:
 * on Naver TalkTalk the buttons are 퀵 버튼 whose code names the button, and a tap (a {@code send} carrying that code)
 * is stored as the customer's choice of that button; on KakaoTalk they are 바로연결 bot keywords, and the label a
 * tap sends back as text answers the menu as that button.
 */
class BotPartnerChannelsIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true");
  private static final Json JSON = new Json();
  private static Database db;
  private static Directory directory;
  private static BotEditor editor;
  private FakeNaverPartnerApi naver;
  private FakeKakaoDealer dealer;

  @BeforeAll
  static void store() {
    var url = server.database();
    db = new Database(url.url(), url.user(), url.password(), 2, server.fieldCipher());
    directory = new Directory(new JdbcDirectoryStore(db, Clock.systemUTC(), JSON), new LocalChanges());
    JdbcBotStore store = new JdbcBotStore(db, Clock.systemUTC(), JSON);
    editor = new BotEditor(store, new CachedBotLibrary(store, JSON, Ticker.systemTicker()), directory,
        new LocalChanges());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @BeforeEach
  void partners() throws IOException {
    naver = new FakeNaverPartnerApi("ct_wc8b1i_Pb1AXDQ0RZWuCccpzdNL");
    dealer = new FakeKakaoDealer();
  }

  @AfterEach
  void stop() {
    naver.close();
    dealer.close();
  }

  /** A menu whose first button asks a number: the menu's numbers are no answer to it. */
  private static final String COUNT = """
      {"name": "상담봇", "start": "menu", "fallback": {"text": "상담원을 연결할게요.", "next": "agent"},
       "nodes": [
         {"id": "menu", "type": "menu", "text": "무엇을 도와드릴까요?", "buttons": [
           {"id": "card", "label": "카드 재발급", "next": "count"},
           {"id": "talk", "label": "상담원 연결", "next": "agent"}]},
         {"id": "count", "type": "form", "next": "agent", "fields": [
           {"name": "count", "type": "number", "label": "장수", "prompt": "몇 장 필요하세요?"}]},
         {"id": "agent", "type": "handoff", "text": "상담원을 연결합니다.", "queue": "card"}
       ]}
      """;

  /** A tenant whose queue card, where its channels route, greets with {@link BotConversationIT#SCENARIO}. */
  private static TestServer.Setup withBot() {
    return withBot(BotConversationIT.SCENARIO);
  }

  private static TestServer.Setup withBot(String scenario) {
    TestServer.Setup s = server.setUp();
    directory.load();
    Tenant tenant = directory.tenantByCode(s.tenant()).orElseThrow();
    Center center = directory.center(tenant.id(), s.center()).orElseThrow();
    Queue card = directory.queue(center.id(), s.queue()).orElseThrow();
    SavedScenario saved = editor.create(tenant.id(), JSON.readObject(scenario), scenario, null, null);
    editor.setEntry(tenant.id(), BotEditor.Place.queue(center.id(), card.id()), saved.id(), null);
    return s;
  }

  private static String channel(TestServer.Setup s, String code, String kind, Map<String, String> settings) {
    ObjectNode body = of("code", code, "kind", kind, "center", s.center(), "queue", s.queue());
    settings.forEach(body::put);
    return server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(), body)
        .path("secret").asText();
  }

  private static void ok(Http.Response r) {
    assertEquals(200, r.status(), r.body().toString());
  }

  /** The sends Naver's fake took, read. */
  private List<JsonNode> naverSends() {
    return naver.received().stream().map(r -> JSON.readObject(r.body())).toList();
  }

  @Test
  void onNaverTheMenuIsQuickRepliesAndATapIsStoredAsThatButton() throws SQLException {
    TestServer.Setup s = withBot();
    String webhook = "/channels/" + s.tenant() + "/naver/naver/" + channel(s, "naver", "NAVER_TALKTALK",
        FakeNaverPartnerApi.settings(naver));
    String user = "al-bot-menu";
    ok(server.http().sendSigned("POST", webhook, Map.of(), of("event", "send", "user", user, "textContent",
        of("text", "안녕하세요", "inputType", "typing")).toString().getBytes(StandardCharsets.UTF_8)));

    JsonNode menu = eventually("the menu at Naver", () -> naverSends().stream()
        .filter(b -> b.path("textContent").has("quickReply")).findFirst(), Optional::isPresent).orElseThrow();
    assertEquals("무엇을 도와드릴까요?", menu.path("textContent").path("text").asText(), menu.toString());
    JsonNode buttons = menu.path("textContent").path("quickReply").path("buttonList");
    assertEquals("주문 조회", buttons.get(0).path("data").path("title").asText());
    assertEquals("button:order", buttons.get(0).path("data").path("code").asText());
    assertEquals(4, buttons.size(), "every label within Naver's 10 characters: " + menu);

    // README "textContent": a tap sends the button's title as text, with its code.
    ok(server.http().sendSigned("POST", webhook, Map.of(), of("event", "send", "user", user, "textContent",
        of("text", "주문 조회", "code", "button:order", "inputType", "button")).toString()
        .getBytes(StandardCharsets.UTF_8)));
    eventually("the form's question at Naver", () -> naverSends().stream().anyMatch(b -> b.path("textContent")
        .path("text").asText().equals("휴대폰 번호를 알려 주세요.")));
    assertEquals("order", storedButton(s.tenant(), "주문 조회"));
  }

  @Test
  void onKakaoTheMenuIsBotKeywordQuickRepliesAndTheLabelATapSendsAnswersIt() {
    TestServer.Setup s = withBot();
    String secret = channel(s, "kakao", "KAKAO", dealer.settings());
    String webhook = "/channels/" + s.tenant() + "/kakao/kakao/message";
    Map<String, String> keys = Map.of(KakaoInbound.CLIENT_ID, "kakao", KakaoInbound.CLIENT_SECRET, secret);
    ok(server.http().sendSigned("POST", webhook, keys, of("user_key", "uk-bot", "sender_key",
        FakeKakaoDealer.SENDER_KEY, "time", 1_700_000_000_000L, "serial_number", "kb-1", "type", "text",
        "content", "안녕하세요").toString().getBytes(StandardCharsets.UTF_8)));

    JsonNode menu = eventually("the menu at the dealer", () -> dealer.taken().stream().map(dealer::body)
        .filter(b -> b.path("message_type").asText().equals("LI")).findFirst(), Optional::isPresent).orElseThrow();
    assertEquals("무엇을 도와드릴까요?", menu.path("message").asText(), menu.toString());
    JsonNode quick = menu.path("supplement").path("quick_reply");
    assertEquals(4, quick.size(), menu.toString());
    assertEquals("종료", quick.get(2).path("name").asText());
    assertEquals("BK", quick.get(2).path("type").asText());

    // A bot keyword sends its name as the customer's message: "종료" is the end button, not a question for the FAQ.
    ok(server.http().sendSigned("POST", webhook, keys, of("user_key", "uk-bot", "sender_key",
        FakeKakaoDealer.SENDER_KEY, "time", 1_700_000_000_001L, "serial_number", "kb-2", "type", "text",
        "content", "종료").toString().getBytes(StandardCharsets.UTF_8)));
    eventually("the end's words at the dealer", () -> dealer.taken().stream().map(dealer::body)
        .anyMatch(b -> b.path("message").asText().equals("이용해 주셔서 감사합니다.")));
    assertTrue(dealer.taken().stream().map(dealer::body)
        .noneMatch(b -> b.path("message").asText().equals("상담원을 연결할게요.")), "no fallback");
  }

  /**
   * Once the bot asks a question without buttons, the menu's buttons are no longer on offer: "2" typed then is the
   * customer's answer (two cards), not the menu's second button.
   */
  @Test
  void aNumberTypedAtAFormQuestionIsTheAnswerNotAnEarlierMenusButton() {
    TestServer.Setup s = withBot(COUNT);
    String secret = channel(s, "kakao", "KAKAO", dealer.settings());
    String webhook = "/channels/" + s.tenant() + "/kakao/kakao/message";
    Map<String, String> keys = Map.of(KakaoInbound.CLIENT_ID, "kakao", KakaoInbound.CLIENT_SECRET, secret);
    String[] texts = {"안녕하세요", "카드 재발급", "2"};
    String[] answers = {"무엇을 도와드릴까요?", "몇 장 필요하세요?", "상담원을 연결합니다."};
    for (int i = 0; i < texts.length; i++) {
      ok(server.http().sendSigned("POST", webhook, keys, of("user_key", "uk-count", "sender_key",
          FakeKakaoDealer.SENDER_KEY, "time", 1_700_000_000_000L + i, "serial_number", "kc-" + i, "type", "text",
          "content", texts[i]).toString().getBytes(StandardCharsets.UTF_8)));
      String answer = answers[i];
      eventually("'" + answer + "' at the dealer", () -> dealer.taken().stream().map(dealer::body)
          .anyMatch(b -> b.path("message").asText().equals(answer)));
    }
    assertTrue(dealer.taken().stream().map(dealer::body)
        .noneMatch(b -> b.path("message").asText().contains("숫자로")), "the number was not asked again");
  }

  /** The button kept with the tenant's customer message {@code body}. */
  private static String storedButton(String tenant, String body) throws SQLException {
    var url = server.database();
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement("SELECT m.button FROM message m JOIN conversation cv"
            + " ON cv.id = m.conversation_id JOIN tenant t ON t.id = cv.tenant_id WHERE t.code = ? AND m.body = ?"
            + " AND m.sender_kind = 'CUSTOMER'")) {
      ps.setString(1, tenant);
      ps.setString(2, body);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), "the customer's message is stored");
        return rs.getString(1);
      }
    }
  }
}
