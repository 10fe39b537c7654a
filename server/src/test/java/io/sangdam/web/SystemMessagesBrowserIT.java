package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.Browser;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/**
 * System messages and a chat's end in the reader's language, in the widget and the agent console: the server
 * sends key and params beside its Korean text, and each app says them in Korean or English. Server errors
 * read as sentences, never as the server's English message.
 */
class SystemMessagesBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final String TRANSFERRED_KO = "박상담 상담사가 이어서 상담해 드리겠습니다.";
  private static final String TRANSFERRED_EN = "박상담 will continue helping you.";

  /** kim's chat with the widget's customer goes to park, who then ends it. */
  @Test
  void theWidgetShowsATransferAndTheEndInKoreanAndInEnglish() {
    for (String lang : List.of("ko", "en")) {
      TestServer.Setup s = server.setUp();
      addPark(s);
      try (Browser browser = Browser.phone(); WsClient kim = online(s.agentToken())) {
        browser.go("http://127.0.0.1:" + server.port() + "/widget/?tenant=" + s.tenant() + "&center=seoul&lang=" + lang);
        browser.visible("#queue-list button[data-queue=card]");
        browser.visible("#start").click();
        long id = kim.next("assigned").path("conversation").path("id").asLong();
        try (WsClient park = online(server.http().login(s.tenant(), "park", "agent-pass-2"))) {
          kim.send(of("type", "transfer", "conversation", id, "toAgent", "park")).until("transferred");
          park.until("assigned");
          browser.showing("#messages", lang.equals("ko") ? TRANSFERRED_KO : TRANSFERRED_EN);
          browser.screenshot("sysmsg-widget-transfer-" + lang);

          park.send(of("type", "close", "conversation", id)).until("closed");
          browser.visible("#stars");
          String shown = (String) browser.script("return document.getElementById('messages').textContent");
          assertTrue(shown.contains(lang.equals("ko") ? "상담사가 상담을 종료했습니다." : "The agent ended the chat."), shown);
          assertFalse(shown.contains("(agent)"), "the reason reads as a sentence, not a code: " + shown);
          browser.screenshot("sysmsg-widget-closed-" + lang);
        }
      }
    }
  }

  /** park passes the chat to kim, whose console says so; kim switches language; then the customer leaves. */
  @Test
  void theAgentConsoleShowsATransferAndTheEndInKoreanAndInEnglish() {
    TestServer.Setup s = server.setUp();
    addPark(s);
    try (Browser browser = Browser.open(); WsClient park = online(server.http().login(s.tenant(), "park",
        "agent-pass-2")); WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동")).next("welcome");
      long id = customer.send(of("type", "start", "queue", "card", "text", "카드를 분실했어요")).next("started")
          .path("conversation").path("id").asLong();
      park.until("assigned");

      browser.logIn("http://127.0.0.1:" + server.port() + "/agent/", s.tenant(), "kim", "agent-pass-1");
      browser.visible("#console");
      browser.choose("#status", "ONLINE");
      browser.showing("#language", "English");
      park.send(of("type", "transfer", "conversation", id, "toAgent", "kim")).until("transferred");
      browser.showing("#chats", "홍길동").click();
      browser.showing("#messages li.system", "김상담 상담사가 이어서 상담해 드리겠습니다.");
      browser.screenshot("sysmsg-agent-transfer-ko");

      browser.visible("#language").click();
      browser.showing("#messages li.system", "김상담 will continue helping you.");
      browser.screenshot("sysmsg-agent-transfer-en");

      browser.visible("#text").sendKeys("확인해 드리겠습니다", Keys.ENTER);
      while (!customer.until("message").path("from").asText().equals("agent")) {
        // the system messages before kim's answer
      }
      customer.send(of("type", "leave", "conversation", id)).until("closed");
      browser.showing("#notice", "The customer ended the chat.");
      browser.screenshot("sysmsg-agent-closed-en");
      browser.visible("#language").click();
      assertFalse(browser.visible("#notice").getText().contains("(customer)"));
    }
  }

  /** A customer opening the widget with a malformed address reads a sentence, not the server's English. */
  @Test
  void aServerErrorReadsAsASentenceInTheReadersLanguage() {
    try (Browser browser = Browser.phone()) {
      browser.go("http://127.0.0.1:" + server.port() + "/widget/?tenant=BAD!&center=seoul");
      browser.showing("#status", "상담 창구 주소가 올바르지 않습니다");
      assertFalse(browser.visible("#status").getText().contains("field"), browser.visible("#status").getText());
      browser.screenshot("sysmsg-widget-error-ko");
      browser.go("http://127.0.0.1:" + server.port() + "/widget/?tenant=BAD!&center=seoul&lang=en");
      browser.showing("#status", "This chat link is not valid.");
      browser.screenshot("sysmsg-widget-error-en");
    }
  }

  private static void addPark(TestServer.Setup s) {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "park",
        "password", "agent-pass-2", "name", "박상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
  }

  private static WsClient online(String token) {
    WsClient agent = server.agent();
    agent.send(of("type", "hello", "token", token)).next("welcome");
    agent.send(of("type", "status", "status", "ONLINE")).next("status");
    return agent;
  }
}
