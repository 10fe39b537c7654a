package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Browser;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The manager's wallboard (상황판) in headless Chromium: the center's queues and agents by status and away
 * reason, live; alert limits set on the board (a bad one refused in words, nothing stored), and the queue
 * past its limit turning red with an alert line; in Korean and English, at 1280 x 800 and on a 1920 x 1080 TV.
 */
class WallboardBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  /** What must never reach a manager's screen: codes and the server's English. */
  private static final List<String> CODES = List.of("AWAY", "ONLINE", "OFFLINE", "meal", "longestWait",
      "CENTER_MANAGER", "invalid", "field '", "queues.");

  private static void noCodes(Browser browser, String screen) {
    String text = String.valueOf(browser.script("return document.body.innerText"));
    for (String code : CODES) {
      assertFalse(text.contains(code), screen + " shows '" + code + "': " + text);
    }
  }

  @Test
  void theManagersBoardShowsTheQueueLiveAndTurnsRedPastTheLimitTheySet() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    String limits = "/api/tenants/" + s.tenant() + "/centers/seoul/alert-thresholds";
    try (Browser board = Browser.open(); WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "AWAY", "reason", "meal")).next("status");
      board.logIn("http://127.0.0.1:" + server.port() + "/admin/", s.tenant(), "boss", TestServer.STAFF_PASSWORD);
      board.visible("#nav button[data-view='wallboard']").click();
      board.showing("#board-title", "서울");
      board.showing("#board-queues [data-queue='card'] h3", "카드");
      board.showing("#board-agents [data-status='AWAY'] .reasons", "식사 1명");
      board.showing("#board-agents [data-status='AWAY'] .names", "김상담");

      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      customer.send(of("type", "start", "queue", "card")).next("started");
      board.showing("#board-queues [data-queue='card'] [data-figure='waiting'] .value", "1");
      board.showing("#board-summary [data-figure='waiting'] .value", "1");
      assertTrue(board.all("#board-alert:not([hidden])").isEmpty(), "no limits: no alert");

      board.visible("#board-edit").click();
      board.visible("#board-limits tbody tr[data-key=''] input[name='waiting']").sendKeys("-3");
      board.visible("#board-limits-form button[type=submit]").click();
      board.showing("#notice", "1부터 10000까지의 정수");
      assertEquals(Json.parse("{\"center\":null,\"queues\":{}}"), server.http().expect(200, "GET", limits,
          s.adminToken(), null), "nothing refused was stored");
      board.visible("#board-limits tbody tr[data-key=''] input[name='waiting']").clear();
      board.visible("#board-limits tbody tr[data-key='card'] input[name='waiting']").sendKeys("1");
      board.visible("#board-limits tbody tr[data-key='card'] input[name='longestWaitSeconds']").sendKeys("600");
      board.screenshot("wallboard-limits-ko");
      board.visible("#board-limits-form button[type=submit]").click();
      board.showing("#notice", "경고 기준을 저장했습니다");
      JsonNode stored = server.http().expect(200, "GET", limits, s.adminToken(), null);
      assertEquals(1, stored.path("queues").path("card").path("waiting").asInt());
      assertEquals(600, stored.path("queues").path("card").path("longestWaitSeconds").asInt());

      board.showing("#board-alert", "카드 대기 1명 (기준 1명)");
      board.until("return document.querySelector(\"#board-queues [data-queue='card']\").classList.contains('alert')");
      board.showing("#board-queues [data-queue='card'] [data-figure='waiting'] .limit", "기준 1명");
      noCodes(board, "the board in Korean");
      board.screenshot("wallboard-ko");

      board.visible("#language").click();
      board.showing("#board-alert", "Alert · 카드: 1 waiting (limit 1)");
      board.showing("#board-agents [data-status='AWAY'] .reasons", "Meal: 1");
      noCodes(board, "the board in English");
      board.screenshot("wallboard-en");
      board.visible("#language").click();

      board.visible("#board-fullscreen").click();
      board.until("return document.body.classList.contains('tv') && getComputedStyle(document.querySelector('header'))"
          + ".display === 'none'");
      board.screenshot("wallboard-tv-1280-ko");
    }
  }

  @Test
  void aTvOpensTheBoardByItsAddressAtFullHd() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/centers/seoul/queues", s.adminToken(),
        of("code", "loan", "name", "대출", "policy", "LEAST_BUSY"));
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    server.http().expect(200, "PUT", "/api/tenants/" + s.tenant() + "/centers/seoul/alert-thresholds", s.adminToken(),
        Json.parse("{\"center\":{\"waiting\":2},\"queues\":{\"loan\":{\"longestWaitSeconds\":3600}}}"));
    try (Browser tv = Browser.open(1920, 1080); WsClient agent = server.agent(); WsClient one = server.customer();
        WsClient two = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "AWAY", "reason", "break")).next("status");
      for (WsClient customer : List.of(one, two)) {
        customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
        customer.send(of("type", "start", "queue", "card")).next("started");
      }
      tv.logIn("http://127.0.0.1:" + server.port() + "/admin/#wallboard", s.tenant(), "boss", TestServer.STAFF_PASSWORD);
      tv.showing("#board-summary [data-figure='waiting'] .value", "2");
      tv.showing("#board-alert", "센터 전체 대기 2명 (기준 2명)");
      tv.showing("#board-queues [data-queue='loan'] [data-figure='longestWait'] .limit", "기준 60분");
      assertTrue(tv.all("#board-queues [data-queue='loan'].alert").isEmpty(), "nobody waits for a loan");
      tv.visible("#board-fullscreen").click();
      tv.until("return document.body.classList.contains('tv')");
      noCodes(tv, "the TV board");
      tv.screenshot("wallboard-tv-1920-ko");
      tv.script("document.getElementById('language').click()");
      tv.showing("#board-alert", "Whole center: 2 waiting (limit 2)");
      tv.showing("#board-agents [data-status='AWAY'] .reasons", "Break: 1");
      tv.screenshot("wallboard-tv-1920-en");
    }
  }
}
