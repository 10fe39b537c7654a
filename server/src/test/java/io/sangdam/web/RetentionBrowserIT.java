package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sangdam.testing.Browser;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin console's data-retention screen as a tenant admin uses it (issue 19), in Korean then English: a period
 * below the legal minimum refused in words, the setting saved with a record queue, a legal hold placed, an erasure
 * refused while it holds, the hold released and the customer erased, their chat kept as a record; no internal code
 * or server English on screen.
 */
class RetentionBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("retention.minimumDays", "30");

  private static final List<String> NEVER_SHOWN = List.of("ANONYMISE", "DELETE", "TENANT_ADMIN", "on legal hold (hold",
      "field '", "/api/tenants", "recordDays", "Error:");

  private static long abandonedCustomer(TestServer.Setup s) {
    try (WsClient c = server.customer()) {
      c.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).until("welcome");
      var started = c.send(of("type", "start", "queue", "card")).until("started");
      long id = started.path("conversation").path("id").asLong();
      c.send(of("type", "send", "conversation", id, "cmid", "m1", "text", "탈퇴 후 정보 삭제 부탁드립니다")).until("ack");
      c.send(of("type", "leave", "conversation", id)).until("closed");
      return started.path("conversation").path("customer").path("id").asLong();
    }
  }

  private static void fill(Browser b, String css, String value) {
    var input = b.visible(css);
    input.clear();
    input.sendKeys(value);
  }

  private static String page(Browser b) {
    return (String) b.script("return document.body.innerText");
  }

  @Test
  void aTenantAdminSetsRetentionHoldsAndErasesACustomerInKoreanAndEnglish() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username",
        "chief", "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    long customer = abandonedCustomer(s);
    try (Browser b = Browser.exact(1280, 800)) {
      b.logIn("http://127.0.0.1:" + server.port() + "/admin/", s.tenant(), "chief", TestServer.STAFF_PASSWORD);
      b.click("#nav button[data-view='retention']");
      b.showing("#retention-current", "모든 기록을 계속 보관합니다");
      b.showing("#retention-minimum", "30일");

      fill(b, "#retention-days", "10");
      b.click("#retention-form button[type='submit']");
      b.showing("#retention-error", "최소 보관 기간(30일)보다 짧게 정할 수 없습니다");

      fill(b, "#retention-days", "365");
      b.click("#retention-queue-seoul\\/card");
      fill(b, "#retention-record-days", "1825");
      b.click("#retention-form button[type='submit']");
      b.showing("#retention-current", "365일 후 익명 처리");
      assertEquals("seoul/card", server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/retention",
          s.adminToken(), null).path("recordQueues").get(0).asText());

      b.choose("#hold-kind", "customer");
      fill(b, "#hold-id", String.valueOf(customer));
      fill(b, "#hold-reason", "소비자원 분쟁 조정 중");
      b.click("#hold-form button[type='submit']");
      b.showing("#hold-list", "고객 #" + customer);
      b.showing("#hold-list", "소비자원 분쟁 조정 중");

      fill(b, "#erasure-customer", String.valueOf(customer));
      fill(b, "#erasure-reason", "고객 탈퇴에 따른 삭제 요청");
      b.click("#erasure-confirm");
      b.click("#erasure-form button[type='submit']");
      b.showing("#retention-error", "법적 보존 중인 고객이라 삭제할 수 없습니다");
      b.screenshot("admin-retention-ko");
      String korean = page(b);
      NEVER_SHOWN.forEach(code -> assertFalse(korean.contains(code), code + " on the Korean screen"));

      b.visible("#language").click();
      b.showing("#language", "한국어");
      b.showing("#retention-current", "Now: anonymised 365 days after a chat ends");
      b.showing("#hold-list", "Customer #" + customer);
      b.screenshot("admin-retention-en");
      String english = page(b);
      NEVER_SHOWN.forEach(code -> assertFalse(english.contains(code), code + " on the English screen"));

      fill(b, "#hold-release-reason-" + server.http().expect(200, "GET", "/api/tenants/" + s.tenant()
          + "/legal-holds", s.adminToken(), null).path("holds").get(0).path("id").asLong(), "Dispute settled");
      b.click("#hold-list tbody button");
      b.showing("#hold-none", "Nothing is on hold");
      b.click("#erasure-form button[type='submit']");
      // Its one chat ended in seoul/card, a record queue: kept as a record, the customer erased.
      b.showing("#erasure-result", "Customer #" + customer + " erased: 0 chats");
      b.showing("#erasure-result", "1 chats are records another law requires");
      assertEquals(404, server.http().send("POST", "/api/tenants/" + s.tenant() + "/customers/" + customer
          + "/erasure", s.adminToken(), of("reason", "again")).status(), "erased");
    }
  }
}
