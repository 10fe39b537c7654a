package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Browser;
import io.sangdam.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The external bots on the admin console's 챗봇 screen: a tenant admin adds one and is shown its secret and token
 * once, changes it, rotates its credentials; a center manager does not see the section.
 */
class ExternalBotBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("webhooks.allowLoopback", "true");

  @Test
  void aTenantAdminAddsAnExternalBotSeesItsCredentialsOnceAndRotatesThem() {
    TestServer.Setup s = server.setUp();
    String base = "/api/tenants/" + s.tenant();
    server.http().expect(201, "POST", base + "/users", s.adminToken(), of("username", "chief", "password",
        TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    server.http().expect(201, "POST", base + "/users", s.adminToken(), of("username", "boss", "password",
        TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    try (Browser admin = Browser.open()) {
      admin.logIn("http://127.0.0.1:" + server.port() + "/admin/", s.tenant(), "chief", TestServer.STAFF_PASSWORD);
      admin.visible("#nav button[data-view='bot']").click();
      admin.visible("#bot-new-endpoint").click();
      admin.visible("#bot-endpoint-code").sendKeys("aicc");
      admin.visible("#bot-endpoint-name").sendKeys("상담 AI");
      admin.visible("#bot-endpoint-url").sendKeys("http://127.0.0.1:9/bot");
      admin.visible("#bot-endpoint-form button[type=submit]").click();
      admin.showing("#bot-endpoints tbody tr[data-endpoint='aicc']", "상담 AI");
      admin.showing("#bot-endpoint-issued", "aicc");
      String secret = (String) admin.script("return document.getElementById('bot-endpoint-secret').value;");
      String token = (String) admin.script("return document.getElementById('bot-endpoint-token').value;");
      assertTrue(secret.startsWith("bsec_"), secret);
      assertEquals(43, token.length());
      admin.screenshot("admin-12-external-bot");
      admin.visible("#bot-endpoint-issued-close").click();
      admin.until("return document.getElementById('bot-endpoint-issued').hidden");

      admin.visible("#bot-endpoints tbody tr[data-endpoint='aicc'] button").click();
      admin.visible("#bot-endpoint-timeout").clear();
      admin.visible("#bot-endpoint-timeout").sendKeys("12");
      admin.visible("#bot-endpoint-form button[type=submit]").click();
      admin.showing("#bot-endpoints tbody tr[data-endpoint='aicc']", "12초 / 나중 응답 60초");
      JsonNode changed = server.http().expect(200, "GET", base + "/bot-endpoints/aicc", s.adminToken(), null);
      assertEquals(12, changed.path("timeoutSeconds").asInt());

      admin.script("window.confirm = () => true;");
      admin.all("#bot-endpoints tbody tr[data-endpoint='aicc'] button").get(1).click();
      admin.until("return !document.getElementById('bot-endpoint-issued').hidden");
      String rotated = (String) admin.script("return document.getElementById('bot-endpoint-token').value;");
      assertFalse(rotated.equals(token), "a new token");
    }
    try (Browser manager = Browser.open()) {
      manager.logIn("http://127.0.0.1:" + server.port() + "/admin/", s.tenant(), "boss", TestServer.STAFF_PASSWORD);
      manager.visible("#nav button[data-view='bot']").click();
      manager.visible("#bot-faq");
      assertFalse(manager.all("#bot-endpoints-section").get(0).isDisplayed(), "admins only");
    }
  }
}
