package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Browser;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/**
 * The three apps together in headless Chromium, as a center works: a customer chats from the
 * widget, an agent answers from the console with a canned response, the customer rates the chat,
 * the manager's dashboard follows every step and HQ sees the center's day.
 */
class ContactCenterBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private String url(String app) {
    return "http://127.0.0.1:" + server.port() + "/" + app + "/";
  }

  private void logIn(Browser browser, String app, String tenant, String username, String password) {
    browser.logIn(url(app), tenant, username, password);
  }

  @Test
  void aCustomersChatFromWidgetToAgentToRatingAsTheManagerAndHqSeeIt() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/canned", s.adminToken(), of("title", "인사",
        "shortcut", "hi", "body", "{customer.name}님, 무엇을 도와드릴까요?"));
    try (Browser manager = Browser.open(); Browser agent = Browser.open(); Browser widget = Browser.phone()) {
      logIn(manager, "admin", s.tenant(), "boss", TestServer.STAFF_PASSWORD);
      manager.showing("#center-name", "상담 중 0");
      logIn(agent, "agent", s.tenant(), "kim", "agent-pass-1");
      agent.visible("#console");
      agent.choose("#status", "ONLINE");
      manager.showing("#agents tbody", "상담 가능");

      widget.go(url("widget") + "?tenant=" + s.tenant() + "&center=seoul");
      widget.visible("#queue-list button[data-queue=card]");
      widget.visible("#start").click();
      widget.showing("#messages", "김상담");
      widget.visible("#text").sendKeys("카드 한도를 올리고 싶어요", Keys.ENTER);

      agent.showing("#messages", "카드 한도를 올리고 싶어요");
      manager.showing("#center-name", "상담 중 1");
      manager.showing("#live tbody", "김상담");
      agent.visible("#text").sendKeys("/hi");
      agent.visible("#canned li[data-shortcut='/hi']");
      agent.visible("#text").sendKeys(Keys.ENTER);
      widget.showing("#messages li.agent", "님, 무엇을 도와드릴까요?");
      manager.screenshot("together-1-manager");
      agent.screenshot("together-2-agent");
      widget.screenshot("together-3-widget");

      agent.visible("#close").click();
      agent.visible("#close-form button[type=submit]").click();
      widget.visible("#stars button[data-score='4']").click();
      widget.visible("#rate").click();
      widget.showing("#done-text", "감사합니다");
      manager.showing("#center-name", "상담 중 0");
      manager.showing("#center-today", "응대 1");
      manager.showing("#center-today", "서비스 레벨 100%");
    }
    try (Browser hq = Browser.open()) {
      logIn(hq, "admin", null, "admin", TestServer.ADMIN_PASSWORD);
      String card = ".card[data-center='" + s.tenant() + "/seoul']";
      hq.showing(card + " dd[data-figure='serviceLevelToday']", "100%");
      hq.showing(card + " dd[data-figure='offeredToday']", "1");
      hq.screenshot("together-4-hq");
    }
    String today = LocalDate.now(ZoneId.of("Asia/Seoul")).toString();
    JsonNode total = server.http().expect(200, "GET", "/api/stats?scope=" + s.tenant() + "/seoul&from=" + today
        + "&to=" + today, s.adminToken(), null).path("total");
    assertEquals(4.0, total.path("csatAvg").asDouble(), "the widget's rating reached the statistics");
  }

  @Test
  void theTransferDialogOffersTheAgentsWithRoomAndTheTenantsQueues() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "lee",
        "password", "agent-pass-2", "name", "이상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
    String lee = server.http().login(s.tenant(), "lee", "agent-pass-2");
    try (Browser browser = Browser.open(); WsClient customer = server.customer(); WsClient other = server.agent()) {
      logIn(browser, "agent", s.tenant(), "kim", "agent-pass-1");
      browser.visible("#console");
      browser.choose("#status", "ONLINE");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동")).next("welcome");
      customer.send(of("type", "start", "queue", "card", "text", "대출 문의요")).next("started");
      browser.showing("#messages", "대출 문의요");
      other.send(of("type", "hello", "token", lee)).next("welcome");
      other.send(of("type", "status", "status", "ONLINE")).next("status");

      browser.visible("#transfer").click();
      browser.showing("#to-queue", "카드");
      browser.showing("#to-agent", "이상담");
      browser.screenshot("agent-4-transfer");
      browser.choose("#to-agent", "lee");
      browser.visible("#transfer-note").sendKeys("한도 상향 건입니다");
      browser.visible("#transfer-form button[type=submit]").click();
      assertEquals("한도 상향 건입니다", other.until("assigned").path("note").asText());
      browser.showing("#notice", "이관");
    }
  }
}
