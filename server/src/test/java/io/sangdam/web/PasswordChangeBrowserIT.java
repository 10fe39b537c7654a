package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sangdam.testing.Browser;
import io.sangdam.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The change-password screen both consoles show when a sign-in must change its password first (a
 * generated one here), in headless Chromium: the policy's rules, a rule broken named in words, new
 * passwords that differ, then the console itself. Screens in Korean and English, 1280x800.
 */
class PasswordChangeBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static String generatedFor(TestServer.Setup s, String username, String role, String center) {
    return server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(),
        center == null ? of("username", username, "name", "새 관리자", "role", role)
            : of("username", username, "name", "새 상담사", "role", role, "center", center)).path("password").asText();
  }

  @Test
  void aTenantAdminWithAGeneratedPasswordChangesItBeforeTheAdminConsoleOpens() {
    TestServer.Setup s = server.setUp();
    String generated = generatedFor(s, "chief", "TENANT_ADMIN", null);
    try (Browser browser = Browser.open()) {
      browser.logIn("http://127.0.0.1:" + server.port() + "/admin/", s.tenant(), "chief", generated);
      browser.showing("#password-change h2", "비밀번호 변경");
      browser.showing("#password-rules", "10자 이상");
      browser.showing("#password-rules", "3가지 이상");
      assertFalse(browser.visible("#password-change").getText().contains("password_"), "no codes on screen");
      change(browser, generated, "Short-1", "Short-1");
      browser.showing("#password-problem", "10자 이상이어야 합니다");
      browser.screenshot("password-change-admin-ko");
      browser.visible("#language").click();
      browser.showing("#password-change h2", "Change your password");
      browser.showing("#password-problem", "at least 10 characters");
      browser.screenshot("password-change-admin-en");
      browser.visible("#language").click();
      browser.showing("#password-change h2", "비밀번호 변경");

      change(browser, generated, "Head-2026-new1", "Head-2026-old1");
      browser.showing("#password-problem", "서로 다릅니다");
      change(browser, "not-the-one-1", "Head-2026-new1", "Head-2026-new1");
      browser.showing("#password-problem", "현재 비밀번호가 맞지 않습니다");
      change(browser, generated, "Head-2026-new1", "Head-2026-new1");
      browser.visible("#nav");
      browser.until("return !document.getElementById('password-change')");
      browser.reload();
      browser.visible("#nav");
    }
    server.http().login(s.tenant(), "chief", "Head-2026-new1");
  }

  @Test
  void anAgentWithAGeneratedPasswordChangesItBeforeTheAgentConsoleOpens() {
    TestServer.Setup s = server.setUp();
    String generated = generatedFor(s, "lee", "AGENT", "seoul");
    try (Browser browser = Browser.open()) {
      browser.logIn("http://127.0.0.1:" + server.port() + "/agent/", s.tenant(), "lee", generated);
      browser.showing("#password-change h2", "비밀번호 변경");
      browser.reload();
      browser.showing("#password-change h2", "비밀번호 변경");
      change(browser, generated, "Lee-2026-spring", "Lee-2026-spring");
      browser.showing("#password-problem", "아이디를 넣을 수 없습니다");
      browser.screenshot("password-change-agent-ko");
      browser.visible("#language").click();
      browser.showing("#password-problem", "must not contain your username");
      browser.screenshot("password-change-agent-en");
      browser.visible("#language").click();
      change(browser, generated, "Spring-2026-ok", "Spring-2026-ok");
      browser.visible("#console");
      browser.showing("#me", "새 상담사");
    }
  }

  private static void change(Browser browser, String current, String next, String again) {
    for (String[] field : new String[][] {{"#password-current", current}, {"#password-new", next},
        {"#password-again", again}}) {
      browser.visible(field[0]).clear();
      browser.visible(field[0]).sendKeys(field[1]);
    }
    browser.visible("#password-change button.primary").click();
  }
}
