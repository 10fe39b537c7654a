package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.testing.Browser;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin console's "sign in with company account" button, in headless Chromium against a real
 * OpenID Connect provider (mock-oauth2-server on 127.0.0.1): shown once the tenant typed offers it,
 * it signs a person in through the provider, and a refusal is explained in words. Screens in Korean
 * and English, 1280x800.
 */
class CompanySignInBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static MockOAuth2Server provider;

  @BeforeAll
  static void startProvider() throws Exception {
    provider = new MockOAuth2Server();
    provider.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterAll
  static void stopProvider() {
    provider.shutdown();
  }

  @Test
  void theButtonSignsInThroughTheProviderAndARefusalIsExplained() {
    String admin = server.adminToken();
    String tenant = server.uniqueCode("corp");
    server.http().expect(201, "POST", "/api/tenants", admin, of("code", tenant, "name", "계열사"));
    ObjectNode oidc = of("issuer", provider.issuerUrl("corp").toString(), "clientId", "sangdam",
        "clientSecret", "client-secret-1", "redirectUri", "http://127.0.0.1:" + server.port()
            + "/api/auth/oidc/callback");
    oidc.set("mappings", Json.MAPPER.valueToTree(List.of(of("group", "it-admins", "role", "TENANT_ADMIN"))));
    server.http().expect(200, "PUT", "/api/tenants/" + tenant + "/company-sign-in", admin, of("oidc", oidc));

    try (Browser browser = Browser.open()) {
      String console = "http://127.0.0.1:" + server.port() + "/admin/";
      browser.go(console);
      browser.visible("#tenant").sendKeys(tenant);
      browser.showing("#company-sign-in", "회사 계정으로 로그인");
      browser.screenshot("company-sign-in-1-button-ko");
      browser.visible("#language").click();
      browser.showing("#company-sign-in", "Sign in with company account");
      browser.screenshot("company-sign-in-1-button-en");
      browser.visible("#language").click();

      provider.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "sub-ryu", "JWT", List.of("sangdam"),
          Map.of("preferred_username", "ryu", "name", "류관리", "groups", List.of("it-admins")), 3600));
      browser.click("#company-sign-in");
      browser.visible("#logout");
      assertEquals("", browser.script("return location.hash"));
      browser.visible("#logout").click();

      provider.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "sub-min", "JWT", List.of("sangdam"),
          Map.of("preferred_username", "min", "groups", List.of("marketing")), 3600));
      browser.visible("#tenant").sendKeys(tenant);
      browser.click("#company-sign-in");
      browser.showing("#notice", "권한이 없습니다");
      browser.screenshot("company-sign-in-2-no-role-ko");
      // The language chosen stays for the next page: the refusal comes back in English.
      browser.visible("#language").click();
      provider.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "sub-min", "JWT", List.of("sangdam"),
          Map.of("preferred_username", "min", "groups", List.of("marketing")), 3600));
      browser.visible("#tenant").sendKeys(tenant);
      browser.click("#company-sign-in");
      browser.showing("#notice", "has no access");
      browser.screenshot("company-sign-in-2-no-role-en");
    }
  }
}
