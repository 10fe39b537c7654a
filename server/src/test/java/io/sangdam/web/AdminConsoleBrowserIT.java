package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.Browser;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/** The admin console's live dashboard in headless Chromium: a manager sees the counts change; HQ sees every tenant. */
class AdminConsoleBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static void logIn(Browser browser, String tenant, String username, String password) {
    browser.go("http://127.0.0.1:" + server.port() + "/admin/");
    if (tenant != null) {
      browser.visible("#tenant").sendKeys(tenant);
    }
    browser.visible("#username").sendKeys(username);
    browser.visible("#password").sendKeys(password, Keys.ENTER);
  }

  @Test
  void theManagersDashboardCountsAWaitingCustomerAndHqSeesTheTenantsCenter() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", "boss-pass-12", "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    try (Browser manager = Browser.open(); WsClient customer = server.customer()) {
      logIn(manager, s.tenant(), "boss", "boss-pass-12");
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
        hq.visible(card).click();
        hq.showing("#center-name", "서울");
        assertTrue(hq.visible("#back").isDisplayed(), "HQ drilled into the center can go back");
      }
    }
  }
}
