package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import io.sangdam.channel.InboundSignature;
import io.sangdam.testing.Browser;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/**
 * The admin console in headless Chromium: the live dashboard (a manager sees the counts change, HQ
 * every tenant), management, statistics with the chart and CSV, the audit log, search with
 * unmasking, supervision, and what each role is shown.
 */
class AdminConsoleBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static void logIn(Browser browser, String tenant, String username, String password) {
    browser.logIn("http://127.0.0.1:" + server.port() + "/admin/", tenant, username, password);
  }

  @Test
  void theManagersDashboardCountsAWaitingCustomerAndHqSeesTheTenantsCenter() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    try (Browser manager = Browser.open(); WsClient customer = server.customer()) {
      logIn(manager, s.tenant(), "boss", TestServer.STAFF_PASSWORD);
      manager.showing("#center-name", "대기 0");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      customer.send(of("type", "start", "queue", "card")).next("started");
      manager.showing("#center-name", "대기 1");
      manager.showing("#queues tbody", "카드");
      manager.showing("#agents tbody", "김상담");
      manager.screenshot("admin-1-center");

      try (Browser hq = Browser.open()) {
        logIn(hq, null, "admin", TestServer.ADMIN_PASSWORD);
        String card = ".tenant[data-tenant='" + s.tenant() + "'] .card[data-center='" + s.tenant() + "/seoul']";
        hq.showing(card, "서울");
        hq.showing(card + " dd[data-figure='waiting']", "1");
        hq.screenshot("admin-2-hq");
        hq.click(card);
        hq.showing("#center-name", "서울");
        assertTrue(hq.visible("#back").isDisplayed(), "HQ drilled into the center can go back");
      }
    }
  }

  private static String user(TestServer.Setup s, String username, String role, String center) {
    JsonNode body = center == null
        ? of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username + " 님", "role", role)
        : of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username + " 님", "role", role,
            "center", center);
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), body);
    return TestServer.STAFF_PASSWORD;
  }

  /**
   * The statistics form's range around today in the center's zone (Seoul): the form's default ends on
   * the browser's today, which from 15:00 UTC is Seoul's yesterday, leaving today's chats out.
   */
  private static void statsAroundSeoulToday(Browser browser) {
    LocalDate seoul = LocalDate.now(ZoneId.of("Asia/Seoul"));
    browser.visible("#stats-from");
    browser.script("document.getElementById('stats-from').value = '" + seoul.minusDays(1)
        + "'; document.getElementById('stats-to').value = '" + seoul.plusDays(1) + "';");
  }

  private static void field(Browser browser, String name, String value) {
    browser.visible("#manage-fields [name='" + name + "']").sendKeys(value);
  }

  @Test
  void aTenantAdminManagesQueuesHoursAndUsersReadsStatisticsAndFindsItAllInTheAuditLog() {
    TestServer.Setup s = server.setUp();
    String password = user(s, "chief", "TENANT_ADMIN", null);
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long id = server.assignedChat(s, agent, customer);
      agent.send(of("type", "close", "conversation", id)).until("closed");
    }
    try (Browser admin = Browser.open()) {
      logIn(admin, s.tenant(), "chief", password);
      admin.visible("#nav button[data-view='manage']").click();
      admin.showing("#manage-list tbody", "seoul");
      admin.visible("#manage-tabs button[data-entity='queues']").click();
      admin.showing("#manage-list tbody", "card");
      admin.visible("#manage-new").click();
      field(admin, "code", "loan");
      field(admin, "name", "대출");
      admin.choose("#manage-fields [name='policy']", "MANUAL");
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#manage-list tbody", "대출");
      JsonNode loan = server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/centers/seoul/queues/loan",
          s.adminToken(), null);
      assertEquals("MANUAL", loan.path("policy").asText());

      admin.visible("#manage-tabs button[data-entity='centers']").click();
      admin.visible("#manage-list tbody tr[data-key='seoul'] button:nth-of-type(2)").click();
      admin.visible("#hours-days .day[data-day='MON'] .add").click();
      ManageFormsBrowserIT.range(admin, "MON", 0, "09:00", "12:00");
      ManageFormsBrowserIT.range(admin, "MON", 1, "13:00", "18:00");
      ManageFormsBrowserIT.holiday(admin, "2026-12-25");
      admin.screenshot("admin-3-hours");
      admin.visible("#hours-form button[type=submit]").click();
      admin.showing("#notice", "운영시간을 저장했습니다");
      JsonNode hours = server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/centers/seoul/hours",
          s.adminToken(), null);
      assertEquals(Json.parse("[[\"09:00\", \"12:00\"], [\"13:00\", \"18:00\"]]"), hours.path("weekly").path("MON"));
      assertEquals("2026-12-25", hours.path("holidays").get(0).asText());

      admin.visible("#manage-tabs button[data-entity='users']").click();
      admin.visible("#manage-new").click();
      field(admin, "username", "lee");
      field(admin, "password", TestServer.STAFF_PASSWORD);
      field(admin, "name", "이상담");
      admin.visible("#manage-fields fieldset[data-name='queues'] input[value='card']").click();
      admin.visible("#manage-fields fieldset[data-name='queues'] input[value='loan']").click();
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#manage-list tbody tr[data-key='lee']", "카드, 대출");
      admin.visible("#manage-list tbody tr[data-key='lee'] button").click();
      admin.visible("#manage-fields [name='enabled']").click();
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#manage-list tbody tr[data-key='lee']", "중지");

      admin.visible("#nav button[data-view='stats']").click();
      statsAroundSeoulToday(admin);
      admin.visible("#stats-form button[type=submit]").click();
      admin.showing("#stats-total dd[data-figure='offered']", "1");
      admin.showing("#stats-total dd[data-figure='serviceLevel']", "100%");
      assertEquals(Boolean.TRUE, admin.script("return Chart.getChart(document.getElementById('stats-chart'))"
          + ".data.datasets[0].data.reduce((a, b) => a + b, 0) === 1"), "the chart draws the handled chat");
      admin.visible("#stats-csv").click();
      admin.showing("#notice", ".csv");
      admin.screenshot("admin-4-stats");

      admin.visible("#nav button[data-view='audit']").click();
      admin.visible("#audit-form button[type=submit]").click();
      admin.showing("#audit-list tbody", "통계 내려받기");
      admin.showing("#audit-list tbody", "사용자 lee");
      admin.showing("#audit-list tbody", "설정 변경");
      admin.screenshot("admin-5-audit");
    }
  }

  @Test
  void aTenantAdminEditsAwayReasonsAndTheBoardAndStatisticsShowEachAgentsReason() {
    TestServer.Setup s = server.setUp();
    String password = user(s, "chief", "TENANT_ADMIN", null);
    try (Browser admin = Browser.open(); WsClient agent = server.agent()) {
      logIn(admin, s.tenant(), "chief", password);
      admin.visible("#nav button[data-view='manage']").click();
      admin.visible("#manage-tabs button[data-entity='awayReasons']").click();
      admin.showing("#manage-list tbody tr[data-key='after_call']", "후처리");
      admin.visible("#manage-new").click();
      field(admin, "code", "coaching");
      field(admin, "name", "코칭");
      field(admin, "nameEn", "Coaching");
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#manage-list tbody tr[data-key='coaching']", "코칭");
      admin.visible("#manage-new").click();
      field(admin, "code", "Bad Code");
      field(admin, "name", "잘못");
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#notice", "코드 값이 올바르지 않습니다");
      admin.visible("#manage-cancel").click();
      admin.visible("#manage-list tbody tr[data-key='meeting'] button").click();
      admin.visible("#manage-fields [name='enabled']").click();
      admin.visible("#manage-form button[type=submit]").click();
      admin.showing("#manage-list tbody tr[data-key='meeting']", "중지");
      admin.screenshot("admin-away-reasons");
      assertEquals(6, server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/away-reasons", s.adminToken(),
          null).size(), "nothing refused was stored");

      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "AWAY", "reason", "coaching")).next("status");
      admin.visible("#nav button[data-view='dashboard']").click();
      admin.click(".card[data-center='" + s.tenant() + "/seoul']");
      admin.showing("#agents tbody tr[data-agent='kim']", "자리 비움 · 코칭");
      admin.screenshot("admin-board-away-reason");
      admin.visible("#language").click();
      admin.showing("#agents tbody tr[data-agent='kim']", "Away · Coaching");
      admin.visible("#language").click();

      admin.visible("#nav button[data-view='stats']").click();
      statsAroundSeoulToday(admin);
      admin.visible("#stats-form button[type=submit]").click();
      admin.showing("#stats-agents thead", "자리 비움 · 코칭");
      admin.showing("#stats-agents tbody tr[data-agent='kim']", "김상담");
      admin.visible("#stats-agents-csv").click();
      admin.showing("#notice", "sangdam-agent-status-");
      admin.screenshot("admin-stats-agent-status");
    }
  }

  @Test
  void aManagerWatchesWhispersTakesOverAndRevealsOneMaskedItemOnTheRecord() {
    TestServer.Setup s = server.setUp();
    String password = user(s, "boss", "CENTER_MANAGER", "seoul");
    try (WsClient agent = server.agent(); WsClient customer = server.customer(); Browser manager = Browser.open()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동")).next("welcome");
      long id = customer.send(of("type", "start", "queue", "card", "text", "제 번호는 010-1234-5678 입니다"))
          .next("started").path("conversation").path("id").asLong();
      agent.until("assigned");
      customer.until("assigned");

      logIn(manager, s.tenant(), "boss", password);
      manager.visible("#live tbody tr[data-conversation='" + id + "'] button").click();
      manager.showing("#watch-log", "010-****-5678");
      customer.send(of("type", "send", "conversation", id, "cmid", "c2", "text", "아직 계신가요?"));
      manager.showing("#watch-log", "아직 계신가요?");
      manager.visible("#whisper").sendKeys("한도 규정을 안내해 주세요", Keys.ENTER);
      JsonNode whisper = agent.until("note");
      assertEquals("WHISPER", whisper.path("kind").asText());
      assertEquals("한도 규정을 안내해 주세요", whisper.path("text").asText());
      manager.screenshot("admin-6-watch");
      manager.visible("#takeover").click();
      assertEquals("boss 님", customer.until("assigned").path("agent").path("name").asText());
      assertEquals(id, agent.until("transferred").path("conversation").asLong());
      manager.showing("#notice", "이어받았습니다");

      manager.visible("#nav button[data-view='search']").click();
      manager.visible("#search-form button[type=submit]").click();
      manager.visible("#search-results tbody tr[data-conversation='" + id + "']").click();
      manager.showing("#transcript-customer", "홍*동");
      manager.showing("#transcript-messages", "010-****-5678");
      assertFalse(manager.visible("#transcript-messages").getText().contains("1234"), "masked until asked");
      manager.visible("#transcript-messages li[data-seq] button").click();
      manager.showing("#transcript-messages .revealed", "010-1234-5678");
      manager.visible("#unmask-name").click();
      manager.showing("#transcript-customer", "홍길동");
      manager.screenshot("admin-7-transcript");
    }
    JsonNode audit = server.http().expect(200, "GET", "/api/audit?action=pii.unmask&tenant=" + s.tenant(),
        s.adminToken(), null);
    assertEquals(2, audit.path("entries").size(), "each reveal is on the record");
  }

  @Test
  void aManagerFindsAndCountsConversationsByChannel() {
    TestServer.Setup s = server.setUp();
    String password = user(s, "boss", "CENTER_MANAGER", "seoul");
    String secret = server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "app", "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl", "http://192.0.2.1/out"))
        .path("secret").asText();
    long web;
    long app;
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "웹고객")).next("welcome");
      web = customer.send(of("type", "start", "queue", "card", "text", "웹 문의")).next("started")
          .path("conversation").path("id").asLong();
      agent.until("assigned");
      agent.send(of("type", "close", "conversation", web));
      agent.until("closed");
      byte[] body = of("user", "u-1", "name", "앱고객", "mid", "m-1", "text", "앱 문의").toString()
          .getBytes(StandardCharsets.UTF_8);
      app = server.http().sendSigned("POST", "/channels/" + s.tenant() + "/app/inbound", Map.of(
          InboundSignature.HEADER, InboundSignature.header(secret, Instant.now().getEpochSecond(), body)), body)
          .body().path("conversation").asLong();
      assertEquals(app, agent.until("assigned").path("conversation").path("id").asLong());
      agent.send(of("type", "close", "conversation", app));
      agent.until("closed");
    }
    try (Browser manager = Browser.open()) {
      logIn(manager, s.tenant(), "boss", password);
      manager.visible("#nav button[data-view='search']").click();
      manager.choose("#search-kind", "CUSTOM");
      manager.visible("#search-form button[type=submit]").click();
      manager.showing("#search-results tbody tr[data-conversation='" + app + "']", "app");
      assertEquals(1, manager.all("#search-results tbody tr").size(), "only the channel's conversation");
      manager.choose("#search-kind", "WEB");
      manager.visible("#search-form button[type=submit]").click();
      manager.showing("#search-results tbody tr[data-conversation='" + web + "']", "웹");
      assertEquals(1, manager.all("#search-results tbody tr").size(), "only the widget's");
      manager.visible("#search-results tbody tr[data-conversation='" + web + "']").click();
      manager.showing("#transcript-meta", "웹");
      manager.screenshot("admin-8-search-by-channel");

      manager.visible("#nav button[data-view='stats']").click();
      manager.visible("#stats-channel option[value='app']");
      statsAroundSeoulToday(manager);
      manager.choose("#stats-channel", "app");
      manager.visible("#stats-form button[type=submit]").click();
      manager.showing("#stats-total dd[data-figure='offered']", "1");
      manager.choose("#stats-channel", "");
      manager.visible("#stats-form button[type=submit]").click();
      manager.showing("#stats-total dd[data-figure='offered']", "2");
      manager.choose("#stats-kind", "KAKAO");
      manager.visible("#stats-form button[type=submit]").click();
      manager.showing("#stats-total dd[data-figure='offered']", "0");
      manager.screenshot("admin-9-stats-by-channel");
    }
  }

  @Test
  void aManagerSeesTheBotsFiguresBesideTheQueuesInKoreanAndEnglish() {
    TestServer.Setup s = server.setUp();
    String password = user(s, "boss", "CENTER_MANAGER", "seoul");
    String t = "/api/tenants/" + s.tenant();
    long scenario = server.http().expect(201, "POST", t + "/scenarios", s.adminToken(), io.sangdam.testing.Json.parse(
        "{\"name\": \"안내봇\", \"start\": \"menu\", \"fallback\": {\"text\": \"연결할게요.\", \"next\": \"agent\"},"
            + "\"nodes\": [{\"id\": \"menu\", \"type\": \"menu\", \"text\": \"무엇을 도와드릴까요?\", \"buttons\": ["
            + "{\"id\": \"talk\", \"label\": \"상담원 연결\", \"next\": \"agent\"},"
            + "{\"id\": \"bye\", \"label\": \"종료\", \"next\": \"end\"}]},"
            + "{\"id\": \"agent\", \"type\": \"handoff\", \"queue\": \"card\"},"
            + "{\"id\": \"end\", \"type\": \"end\", \"reason\": \"done\", \"text\": \"감사합니다.\"}]}"))
        .path("id").asLong();
    server.http().expect(200, "PUT", t + "/scenario-entries", s.adminToken(),
        of("center", "seoul", "scenario", scenario));
    server.http().expect(201, "POST", t + "/faq", s.adminToken(), of("question", "배송은 언제 오나요?",
        "answer", "보통 2~3일 걸립니다."));
    try (WsClient answered = server.customer(); WsClient handedOff = server.customer()) {
      answered.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      long id = answered.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
      answered.until("message");
      answered.send(of("type", "send", "conversation", id, "cmid", "q", "text", "배송은 언제 오나요?"));
      assertEquals("_helpful", answered.until("message").path("buttons").get(0).path("id").asText());
      answered.until("message");
      answered.send(of("type", "send", "conversation", id, "cmid", "h", "text", "도움이 됐어요", "button",
          "_helpful"));
      answered.until("message");
      answered.until("message");
      answered.send(of("type", "send", "conversation", id, "cmid", "b", "text", "종료", "button", "bye"));
      answered.until("closed");

      handedOff.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      long other = handedOff.send(of("type", "start", "queue", "card")).next("started").path("conversation")
          .path("id").asLong();
      handedOff.until("message");
      handedOff.send(of("type", "send", "conversation", other, "cmid", "t", "text", "상담원 연결", "button", "talk"));
      LocalDate seoul = LocalDate.now(ZoneId.of("Asia/Seoul"));
      io.sangdam.testing.Eventually.eventually("both conversations counted", () -> server.http().expect(200, "GET",
          "/api/stats/bot?scope=" + s.tenant() + "&from=" + seoul.minusDays(1) + "&to=" + seoul.plusDays(1),
          s.adminToken(), null).path("total").path("handedOff").asLong() == 1);
    }
    try (Browser manager = Browser.open()) {
      logIn(manager, s.tenant(), "boss", password);
      manager.visible("#nav button[data-view='stats']").click();
      statsAroundSeoulToday(manager);
      manager.visible("#stats-form button[type=submit]").click();
      manager.showing("#stats-bot h3", "챗봇 통계");
      manager.showing("#stats-bot-total dd[data-figure='conversations']", "2");
      manager.showing("#stats-bot-total dd[data-figure='contained']", "1");
      manager.showing("#stats-bot-total dd[data-figure='handedOff']", "1");
      manager.showing("#stats-bot-total dd[data-figure='handOffRate']", "50%");
      manager.showing("#stats-bot-total dd[data-figure='faqHitRate']", "100%");
      manager.showing("#stats-bot-total dd[data-figure='helpful']", "1");
      manager.showing("#stats-bot-total", "봇 완결률");
      manager.showing("#stats-bot-scenarios tbody", "안내봇");
      manager.showing("#stats-bot-channels tbody", "웹 (web)");
      manager.showing("#stats-bot-faq tbody", "배송은 언제 오나요?");
      manager.showing("#stats-total dd[data-figure='offered']", "0");
      manager.screenshot("admin-10-bot-stats");
      manager.visible("#language").click();
      manager.showing("#stats-bot h3", "Bot statistics");
      manager.showing("#stats-bot-total", "Containment rate");
      manager.showing("#stats-bot-scenarios thead", "Hand-off rate");
      manager.visible("#stats-bot-csv").click();
      manager.showing("#notice", "sangdam-bot-stats-" + s.tenant() + "-seoul-");
    }
  }

  @Test
  void eachRoleIsShownOnlyWhatItsScopeAllows() {
    TestServer.Setup s = server.setUp();
    String managerPassword = user(s, "boss", "CENTER_MANAGER", "seoul");
    try (Browser agent = Browser.open()) {
      logIn(agent, s.tenant(), "kim", "agent-pass-1");
      agent.visible("#agents-elsewhere a[href='/agent/']");
      assertFalse(agent.all("#nav").get(0).isDisplayed(), "an agent gets no admin screens");
      assertEquals(0, agent.all(".view:not([hidden])").size());
    }
    try (Browser manager = Browser.open()) {
      logIn(manager, s.tenant(), "boss", managerPassword);
      manager.visible("#nav button[data-view='stats']");
      assertFalse(manager.visible("#nav").findElement(org.openqa.selenium.By.cssSelector("[data-view='audit']"))
          .isDisplayed(), "no audit log for a center manager");
      manager.visible("#nav button[data-view='manage']").click();
      manager.showing("#manage-list tbody", "seoul");
      assertEquals(1, manager.all("#manage-list tbody tr").size(), "only their own center");
      assertEquals(0, manager.all("#manage-list tbody button").stream().filter(b -> b.getText().equals("수정"))
          .count(), "a manager edits the center's hours and settings, not the center");
      assertFalse(manager.all("#manage-tabs button[data-entity='tenants']").get(0).isDisplayed());
      assertFalse(manager.all("#manage-tabs button[data-entity='categories']").get(0).isDisplayed());
      assertFalse(manager.all("#manage-tenant").get(0).isDisplayed(), "no tenant to choose");
    }
    try (Browser hq = Browser.open()) {
      logIn(hq, null, "admin", TestServer.ADMIN_PASSWORD);
      hq.visible("#nav button[data-view='audit']");
      hq.visible("#nav button[data-view='manage']").click();
      hq.visible("#manage-tabs button[data-entity='tenants']").click();
      hq.visible("#manage-tenant");
      hq.showing("#manage-list tbody", s.tenant());
      hq.visible("#manage-new").click();
      String code = server.uniqueCode("web");
      field(hq, "code", code);
      field(hq, "name", "웹 계열사");
      hq.visible("#manage-form button[type=submit]").click();
      hq.showing("#manage-list tbody tr[data-key='" + code + "']", "웹 계열사");
      assertEquals("웹 계열사", server.http().expect(200, "GET", "/api/tenants/" + code, s.adminToken(), null)
          .path("name").asText());
      hq.screenshot("admin-8-hq-tenants");
      hq.visible("#language").click();
      hq.showing("#nav button[data-view='stats']", "Statistics");
      hq.showing("#manage-list thead", "Name");
    }
  }

  /** The editor's text set as an admin would paste it. */
  private static void editorText(Browser browser, String json) {
    browser.script("document.getElementById('bot-json').value = " + of("t", json).get("t").toString() + ";");
  }

  private static String scenario(String greeting) {
    return "{\"name\": \"웹 시나리오\", \"start\": \"hello\",\n \"fallback\": {\"text\": \"연결할게요\", \"next\": \"agent\"},"
        + "\n \"nodes\": [{\"id\": \"hello\", \"type\": \"message\", \"text\": \"" + greeting + "\", \"next\": \"agent\"},"
        + "\n  {\"id\": \"agent\", \"type\": \"handoff\", \"queue\": \"card\"}]}";
  }

  @Test
  void aTenantAdminValidatesAndSavesAScenarioSetsWhereItGreetsAndTriesTheFaq() {
    TestServer.Setup s = server.setUp();
    String password = user(s, "chief", "TENANT_ADMIN", null);
    String base = "/api/tenants/" + s.tenant();
    long id = server.http().expect(201, "POST", base + "/scenarios", s.adminToken(), scenario("안녕하세요"))
        .path("id").asLong();
    server.http().expect(201, "POST", base + "/faq", s.adminToken(), of("question", "로그인 비밀번호를 잊어버렸어요",
        "alternatives", java.util.List.of("비밀번호 재설정"), "answer", "로그인 화면에서 재설정하세요."));
    try (Browser admin = Browser.open()) {
      logIn(admin, s.tenant(), "chief", password);
      admin.visible("#nav button[data-view='bot']").click();
      admin.showing("#bot-scenarios tbody tr[data-scenario='" + id + "']", "웹 시나리오");
      admin.visible("#bot-scenarios tbody tr[data-scenario='" + id + "'] button").click();
      admin.until("return document.getElementById('bot-json').value.includes('안녕하세요')");

      editorText(admin, """
          {"name": "고장난 메뉴", "start": "menu", "fallback": {"text": "다시", "next": "menu"},
           "nodes": [{"id": "menu", "type": "menu", "text": "골라 주세요",
                      "buttons": [{"id": "a", "label": "상담원", "next": "agent"},
                                  {"id": "b", "label": "끝", "next": "nowhere"}]},
                     {"id": "agent", "type": "handoff", "queue": "card"}]}""");
      admin.visible("#bot-validate").click();
      admin.showing("#bot-problems li[data-node='menu']", "buttons[1].next");
      admin.screenshot("admin-10-bot-problem");
      admin.visible("#bot-save").click();
      admin.showing("#bot-problems li[data-node='menu']", "nowhere");
      assertEquals(1, server.http().expect(200, "GET", base + "/scenarios/" + id, s.adminToken(), null)
          .path("version").asInt(), "a refused save keeps version 1");

      editorText(admin, scenario("반갑습니다"));
      admin.visible("#bot-validate").click();
      admin.showing("#bot-problems", "문제가 없습니다");
      admin.visible("#bot-save").click();
      admin.showing("#notice", "버전 2");
      admin.showing("#bot-versions tbody tr[data-version='2']", "chief");
      admin.visible("#bot-versions tbody tr[data-version='1']");
      JsonNode saved = server.http().expect(200, "GET", base + "/scenarios/" + id, s.adminToken(), null);
      assertEquals(2, saved.path("version").asInt());
      assertEquals("반갑습니다", saved.path("scenario").path("nodes").get(0).path("text").asText());

      admin.choose("#bot-entry-center", "seoul");
      admin.until("return [...document.getElementById('bot-entry-queue').options].some(o => o.value === 'card')");
      admin.choose("#bot-entry-queue", "card");
      admin.choose("#bot-entry-scenario", String.valueOf(id));
      admin.visible("#bot-entry-form button[type=submit]").click();
      admin.showing("#bot-entries tbody tr[data-place='seoul / card']", "웹 시나리오 (v2)");

      admin.visible("#bot-new-faq").click();
      admin.visible("#bot-faq-question").sendKeys("카드를 분실했어요");
      admin.visible("#bot-faq-alternatives").sendKeys("카드 분실 신고\n카드를 잃어버렸어요");
      admin.visible("#bot-faq-answer").sendKeys("앱에서 분실 신고를 해 주세요.");
      admin.visible("#bot-faq-form button[type=submit]").click();
      admin.showing("#bot-faq tbody", "카드를 분실했어요");
      admin.visible("#bot-try-text").sendKeys("카드 잃어버렸어요", Keys.ENTER);
      admin.showing("#bot-try-result[data-verdict='confident']", "카드를 분실했어요");
      admin.showing("#bot-try-result", "앱에서 분실 신고를 해 주세요.");
      admin.screenshot("admin-11-bot-faq");

      // Refused while it greets at seoul/card, the entry named; "no bot" there frees it, and then it is deleted.
      String delete = "#bot-scenarios tbody tr[data-scenario='" + id + "'] button[data-action='delete']";
      admin.visible(delete).click();
      admin.showing("#notice", "아직 쓰이고 있어 삭제할 수 없습니다");
      admin.choose("#bot-entry-scenario", "none");
      admin.visible("#bot-entry-form button[type=submit]").click();
      admin.showing("#bot-entries tbody tr[data-place='seoul / card']", "챗봇 없음");
      admin.visible(delete).click();
      admin.showing("#notice", "시나리오를 삭제했습니다");
      admin.until("return !document.querySelector(\"#bot-scenarios tbody tr[data-scenario='" + id + "']\")");
      assertEquals(0, server.http().expect(200, "GET", base + "/scenarios", s.adminToken(), null).size());
    }
  }
}
