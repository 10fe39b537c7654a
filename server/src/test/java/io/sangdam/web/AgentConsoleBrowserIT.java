package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.channel.InboundSignature;
import io.sangdam.channel.kakao.FakeKakaoDealer;
import io.sangdam.channel.kakao.KakaoInbound;
import io.sangdam.testing.Browser;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/** The agent console in headless Chromium: log in, take a chat, answer with a canned response, note, close. */
class AgentConsoleBrowserIT {
  /** Loopback allowed: a channel's partner is a local fake here. */
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true");

  @Test
  void anAgentGoesAwayWithAReasonAndComesBackAsTheyLeftAfterAReload() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    String manager = server.http().login(s.tenant(), "boss", TestServer.STAFF_PASSWORD);
    try (Browser browser = Browser.open()) {
      browser.go("http://127.0.0.1:" + server.port() + "/agent/");
      browser.visible("#tenant").sendKeys(s.tenant());
      browser.visible("#username").sendKeys("kim");
      browser.visible("#password").sendKeys("agent-pass-1", Keys.ENTER);
      browser.visible("#console");
      browser.showing("#status", "자리 비움 · 식사");
      assertEquals(8L, browser.script("return document.querySelectorAll('#status option').length"),
          "online, away, the five reasons, offline");
      browser.choose("#status", "AWAY:meal");
      Eventually.eventually("kim AWAY for a meal on the manager's board", () -> kim(manager), a ->
          a.path("status").asText().equals("AWAY") && a.path("reason").asText().equals("meal"));
      browser.screenshot("agent-status-away-meal");

      browser.reload();
      browser.visible("#console");
      browser.until("return document.getElementById('status').value === 'AWAY:meal'");
      Eventually.eventually("kim still AWAY for a meal after the reload", () -> kim(manager), a ->
          a.path("status").asText().equals("AWAY") && a.path("reason").asText().equals("meal"));

      browser.visible("#language").click();
      browser.showing("#status", "Away · Meal");
      browser.choose("#status", "ONLINE");
      Eventually.eventually("kim ONLINE", () -> kim(manager), a -> a.path("status").asText().equals("ONLINE")
          && !a.has("reason"));
      browser.visible("#language").click();
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode kim(String manager) {
    for (com.fasterxml.jackson.databind.JsonNode a : server.http().expect(200, "GET", "/api/dashboard", manager, null)
        .path("tenants").get(0).path("centers").get(0).path("agentDetails")) {
      if (a.path("username").asText().equals("kim")) {
        return a;
      }
    }
    throw new AssertionError("kim is not on the board");
  }

  @Test
  void anAgentAnswersWithACannedResponseLeavesANoteAndClosesTheChat() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/canned", s.adminToken(), of("title", "인사",
        "shortcut", "hi", "body", "안녕하세요 {customer.name}님, {agent.name}입니다."));
    try (Browser browser = Browser.open(); WsClient customer = server.customer()) {
      browser.go("http://127.0.0.1:" + server.port() + "/agent/");
      browser.visible("#tenant").sendKeys(s.tenant());
      browser.visible("#username").sendKeys("kim");
      browser.visible("#password").sendKeys("agent-pass-1", Keys.ENTER);
      browser.visible("#console");
      browser.choose("#status", "ONLINE");
      browser.screenshot("agent-1-online");

      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동")).next("welcome");
      long id = customer.send(of("type", "start", "queue", "card", "text", "카드를 분실했어요")).next("started")
          .path("conversation").path("id").asLong();
      customer.next("assigned");
      browser.showing("#chats", "홍길동");
      browser.showing("#messages", "카드를 분실했어요");

      browser.visible("#text").sendKeys("/hi");
      browser.visible("#canned li[data-shortcut='/hi']");
      browser.screenshot("agent-2-canned");
      browser.visible("#text").sendKeys(Keys.ENTER);
      assertEquals("안녕하세요 홍길동님, 김상담입니다.", customer.until("message").path("text").asText(),
          "the canned response, filled on the server");
      browser.showing("#messages li.agent", "홍길동님");

      browser.visible("#as-note").click();
      browser.visible("#text").sendKeys("분실 신고 접수 완료", Keys.ENTER);
      browser.showing("#messages li.note", "분실 신고 접수 완료"); // shown once acknowledged, so stored and published
      customer.assertNothingSoFar("a note never reaches the customer");

      browser.visible("#close").click();
      browser.visible("#close-form button[type=submit]").click();
      assertEquals(id, customer.until("closed").path("conversation").asLong());
      browser.showing("#notice", "종료");
      browser.screenshot("agent-3-closed");
    }
  }

  @Test
  void aChatWhoseCustomerClosedTheirWindowIsMarkedOffline() {
    TestServer.Setup s = server.setUp();
    try (Browser browser = Browser.open()) {
      browser.go("http://127.0.0.1:" + server.port() + "/agent/");
      browser.visible("#tenant").sendKeys(s.tenant());
      browser.visible("#username").sendKeys("kim");
      browser.visible("#password").sendKeys("agent-pass-1", Keys.ENTER);
      browser.visible("#console");
      browser.choose("#status", "ONLINE");
      try (WsClient customer = server.customer()) {
        customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "이순신")).next("welcome");
        customer.send(of("type", "start", "queue", "card", "text", "여보세요")).next("started");
        customer.next("assigned");
        browser.showing("#chats", "이순신");
      }
      browser.showing("#chats .offline", "고객 연결 끊김");
      browser.screenshot("agent-4-customer-offline");
    }
  }

  @Test
  void theChatListAndHeaderNameEachChatsChannel() {
    TestServer.Setup s = server.setUp();
    String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "app", "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl", "http://192.0.2.1/out"))
        .path("secret").asText();
    try (Browser browser = Browser.open(); WsClient customer = server.customer()) {
      browser.go("http://127.0.0.1:" + server.port() + "/agent/");
      browser.visible("#tenant").sendKeys(s.tenant());
      browser.visible("#username").sendKeys("kim");
      browser.visible("#password").sendKeys("agent-pass-1", Keys.ENTER);
      browser.visible("#console");
      browser.choose("#status", "ONLINE");

      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "웹고객")).next("welcome");
      customer.send(of("type", "start", "queue", "card", "text", "웹에서 문의")).next("started");
      customer.next("assigned");
      browser.showing("#chats li", "웹고객");
      browser.showing("#chats .channel", "웹");
      browser.showing("#conversation-title", "웹고객 · 웹 · 카드");

      byte[] body = of("user", "u-1", "name", "앱고객", "mid", "m-1", "text", "앱에서 문의").toString()
          .getBytes(StandardCharsets.UTF_8);
      assertEquals(200, server.http().sendSigned("POST", "/channels/" + s.tenant() + "/app/inbound",
          Map.of(InboundSignature.HEADER, InboundSignature.header(secret,
              Instant.now().getEpochSecond(), body)), body).status());
      browser.showing("#chats li:nth-child(2)", "앱고객");
      browser.showing("#chats li:nth-child(2) .channel", "app");
      browser.visible("#chats li:nth-child(2)").click();
      browser.showing("#conversation-title", "앱고객 · app · 카드");
      browser.visible("#language").click();
      browser.showing("#chats li:nth-child(1) .channel", "Web");
      browser.screenshot("agent-5-channels");
    }
  }

  /**
   * A KakaoTalk 상담톡 session started at the dealer's webhook ("사용자 메타 정보 수신", "상담 메시지 수신") shows
   * as 카카오톡 in the list and the header; the agent's answer typed in the console reaches the dealer's
   * "메시지 전송" through the outbox.
   */
  @Test
  void aKakaoTalkChatIsNamedSoAndTheAnswerReachesTheDealer() throws IOException {
    TestServer.Setup s = server.setUp();
    try (FakeKakaoDealer dealer = new FakeKakaoDealer(); Browser browser = Browser.open()) {
      ObjectNode channel = of("code", "kakao", "kind", "KAKAO", "center", "seoul", "queue", "card");
      dealer.settings().forEach(channel::put);
      String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
          channel).path("secret").asText();
      browser.logIn("http://127.0.0.1:" + server.port() + "/agent/", s.tenant(), "kim", "agent-pass-1");
      browser.visible("#console");
      browser.choose("#status", "ONLINE");

      Map<String, String> keys = Map.of(KakaoInbound.CLIENT_ID, "kakao", KakaoInbound.CLIENT_SECRET, secret);
      String webhook = "/channels/" + s.tenant() + "/kakao/kakao/";
      Http.Response started = server.http().sendSigned("POST", webhook + "reference", keys,
          of("user_key", "uk-b1", "sender_key", FakeKakaoDealer.SENDER_KEY, "time", 1_700_000_000_000L,
              "session_id", "ses-b1").toString().getBytes(StandardCharsets.UTF_8));
      assertEquals(200, started.status(), started.body().toString());
      long id = started.body().path("conversation").asLong();
      Http.Response message = server.http().sendSigned("POST", webhook + "message", keys,
          of("user_key", "uk-b1", "sender_key", FakeKakaoDealer.SENDER_KEY, "time", 1_700_000_000_001L,
              "serial_number", "k-1", "type", "text", "content", "주문 취소하고 싶어요").toString()
              .getBytes(StandardCharsets.UTF_8));
      assertEquals(200, message.status(), message.body().toString());

      browser.showing("#chats .channel", "카카오톡");
      browser.showing("#conversation-title", "카카오톡 · 카드");
      browser.showing("#messages", "주문 취소하고 싶어요");
      browser.screenshot("agent-6-kakao");

      browser.visible("#text").sendKeys("취소해 드렸습니다", Keys.ENTER);
      browser.showing("#messages li.agent", "취소해 드렸습니다");
      Eventually.eventually("the answer at the dealer", () -> dealer.taken().stream()
          .anyMatch(serial -> "취소해 드렸습니다".equals(dealer.body(serial).path("message").asText())));
      String serial = dealer.taken().stream()
          .filter(x -> "취소해 드렸습니다".equals(dealer.body(x).path("message").asText())).findFirst().orElseThrow();
      assertTrue(serial.startsWith("sd" + id + "-"), serial);
      assertEquals("uk-b1", dealer.body(serial).path("user_key").asText());
    }
  }

  @Test
  void aWrongPasswordIsShownAndNothingElse() {
    TestServer.Setup s = server.setUp();
    try (Browser browser = Browser.open()) {
      browser.go("http://127.0.0.1:" + server.port() + "/agent/");
      browser.visible("#tenant").sendKeys(s.tenant());
      browser.visible("#username").sendKeys("kim");
      browser.visible("#password").sendKeys("wrong-password", Keys.ENTER);
      browser.showing("#notice", "아이디 또는 비밀번호가 맞지 않습니다");
      assertFalse(browser.visible("#notice").getText().contains("invalid"), "the agent's words, not the server's");
      assertTrue(browser.visible("#login").isDisplayed());
    }
  }
}
