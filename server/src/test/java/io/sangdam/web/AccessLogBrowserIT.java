package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Browser;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin console's access records (접속기록): a conversations' CSV asks its reason in a dialog first, and the
 * download is recorded with it; the records list and the month's review, in Korean and English; a cancelled
 * dialog downloads and records nothing.
 */
class AccessLogBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static JsonNode records(TestServer.Setup s, String filter) {
    return server.http().expect(200, "GET", "/api/access-log?tenant=" + s.tenant() + filter, s.adminToken(), null)
        .path("records");
  }

  @Test
  void theReasonIsAskedBeforeAnExportAndTheRecordsAndTheReviewAreShown() {
    TestServer.Setup s = server.setUp();
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long chat = server.assignedChat(s, agent, customer);
      agent.send(of("type", "close", "conversation", chat)).until("closed");
      server.http().expect(200, "GET", "/api/conversations/" + chat, s.adminToken(), null);
    }
    String base = "http://127.0.0.1:" + server.port();
    try (Browser admin = Browser.open()) {
      admin.logIn(base + "/admin/", null, "admin", TestServer.ADMIN_PASSWORD);
      admin.visible("#nav button[data-view='search']").click();
      admin.until("return [...document.querySelectorAll('#search-tenant option')].some(o => o.value === '"
          + s.tenant() + "')");
      admin.choose("#search-tenant", s.tenant());
      admin.visible("#search-csv").click();
      admin.showing(".reason-dialog h3", "내려받는 사유");
      admin.screenshot("access-reason-ko");
      admin.visible("#reason-input").sendKeys("분기 개인정보 점검");
      admin.visible("#reason-ok").click();
      admin.showing("#notice", "내려받았습니다");
      JsonNode export = records(s, "&action=export").get(0);
      assertEquals("admin", export.path("staff").asText());
      assertEquals("분기 개인정보 점검", export.path("reason").asText());

      admin.visible("#nav button[data-view='accesslog']").click();
      admin.until("return [...document.querySelectorAll('#accesslog-tenant option')].some(o => o.value === '"
          + s.tenant() + "')");
      admin.choose("#accesslog-tenant", s.tenant());
      admin.visible("#accesslog-form button[type='submit']").click();
      admin.showing("#accesslog-list tbody", "상담 이력 내려받기");
      admin.showing("#accesslog-list tbody", "분기 개인정보 점검");
      admin.showing("#accesslog-list tbody", "상담 내용 조회");
      admin.showing("#accesslog-list tbody", "상담 1건");
      admin.visible("#accesslog-report-form button[type='submit']").click();
      admin.showing("#accesslog-staff-table tbody", "admin");
      admin.screenshot("access-log-ko");

      admin.visible("#language").click();
      admin.showing("#accesslog-list tbody", "Chats downloaded");
      admin.showing("#accesslog-report h4", "Views per staff member");
      admin.screenshot("access-log-en");
      int exportsBefore = records(s, "&action=access-log.export").size();
      admin.visible("#accesslog-export").click();
      admin.showing(".reason-dialog h3", "Reason for downloading");
      admin.screenshot("access-reason-en");
      admin.visible("#reason-cancel").click();
      admin.until("return document.querySelector('.reason-dialog') === null");
      assertEquals(exportsBefore, records(s, "&action=access-log.export").size(), "cancelled: nothing read");
      admin.visible("#language").click();
    }
    assertTrue(records(s, "&action=transcript").size() >= 1, "the transcript read before the browser");
  }
}
