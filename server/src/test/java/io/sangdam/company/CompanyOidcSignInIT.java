package io.sangdam.company;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sign-in through a real OpenID Connect provider (mock-oauth2-server on 127.0.0.1): the whole
 * authorization code flow with PKCE over HTTP, its redirects followed by hand, the account made from
 * the groups claim, and the refusals the issue names (wrong state, wrong nonce, another tenant's
 * client, an expired token, no mapping), each audited.
 */
class CompanyOidcSignInIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final String ISSUER_ID = "corp";
  private static final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static MockOAuth2Server provider;

  @BeforeAll
  static void startProvider() throws Exception {
    provider = new MockOAuth2Server();
    provider.start(InetAddress.getByName("127.0.0.1"), 0);
    // The provider makes its signing keys at its first request, which can take longer than the server's
    // 10 s read timeout on a busy machine: made here, before any test's sign-in.
    String issuer = provider.issuerUrl(ISSUER_ID).toString();
    HttpResponse<String> discovery = browser.send(HttpRequest.newBuilder(URI.create(issuer
        + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(120)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, discovery.statusCode());
    String jwks = Json.parse(discovery.body()).path("jwks_uri").asText();
    assertEquals(200, browser.send(HttpRequest.newBuilder(URI.create(jwks)).timeout(Duration.ofSeconds(120)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @AfterAll
  static void stopProvider() {
    provider.shutdown();
  }

  private static Http http() {
    return server.http();
  }

  private static ObjectNode oidc(String clientId) {
    ObjectNode settings = of("issuer", provider.issuerUrl(ISSUER_ID).toString(), "clientId", clientId,
        "clientSecret", "client-secret-1", "redirectUri",
        "http://127.0.0.1:" + server.port() + "/api/auth/oidc/callback");
    settings.set("mappings", Json.MAPPER.valueToTree(List.of(
        of("group", "cs-agents", "role", "AGENT", "center", "seoul"),
        of("group", "cs-managers", "role", "CENTER_MANAGER", "center", "seoul"))));
    return settings;
  }

  private static String tenantWithProvider(String clientId) {
    String admin = server.adminToken();
    String tenant = server.uniqueCode("oidc");
    http().expect(201, "POST", "/api/tenants", admin, of("code", tenant, "name", "계열사 " + tenant));
    http().expect(201, "POST", "/api/tenants/" + tenant + "/centers", admin, of("code", "seoul", "name", "서울"));
    http().expect(200, "PUT", "/api/tenants/" + tenant + "/company-sign-in", admin, of("oidc", oidc(clientId)));
    return tenant;
  }

  /** The provider's next ID token says this, for this audience, valid for {@code seconds} (negative: expired). */
  private static void providerWillSay(String audience, String username, List<String> groups, long seconds) {
    provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-" + username, "JWT", List.of(audience),
        Map.of("preferred_username", username, "name", "회사 " + username, "groups", groups), seconds));
  }

  private static HttpResponse<String> get(String url) {
    try {
      return browser.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String location(HttpResponse<String> response) {
    assertEquals(302, response.statusCode(), response::body);
    return response.headers().firstValue("Location").orElseThrow();
  }

  private static String ours(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  private static Map<String, String> query(String url) {
    Map<String, String> params = new LinkedHashMap<>();
    String q = URI.create(url).getRawQuery();
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  /** Start, the provider's sign-in, and the provider's redirect back: the callback URL, not yet followed. */
  private static String providerRedirect(String tenant) {
    String authorize = location(get(ours("/api/auth/oidc/start?tenant=" + tenant + "&console=admin")));
    return location(get(authorize));
  }

  private static String fragment(String location, String prefix) {
    int at = location.indexOf(prefix);
    assertTrue(at >= 0, () -> location + " has no " + prefix);
    return URLDecoder.decode(location.substring(at + prefix.length()), StandardCharsets.UTF_8);
  }

  private static JsonNode audit(String tenant, String action) {
    String scope = tenant == null ? "" : "tenant=" + tenant + "&";
    return http().expect(200, "GET", "/api/audit?" + scope + "action=" + action, server.adminToken(), null)
        .path("entries");
  }

  @Test
  void theCodeFlowWithPkceSignsInAndMakesTheAccountFromTheGroupsClaim() {
    String tenant = tenantWithProvider("sangdam-a");
    assertTrue(http().expect(200, "GET", "/api/auth/company-sign-in?tenant=" + tenant, null, null).path("oidc")
        .asBoolean());
    String authorize = location(get(ours("/api/auth/oidc/start?tenant=" + tenant + "&console=agent")));
    Map<String, String> asked = query(authorize);
    assertEquals("S256", asked.get("code_challenge_method"));
    assertEquals("code", asked.get("response_type"));
    assertEquals("sangdam-a", asked.get("client_id"));
    assertFalse(asked.get("state").isEmpty());
    assertFalse(asked.get("nonce").isEmpty());
    assertTrue(asked.get("scope").contains("openid"));

    providerWillSay("sangdam-a", "yoon", List.of("cs-agents"), 3600);
    String callback = location(get(authorize));
    assertTrue(callback.startsWith(ours("/api/auth/oidc/callback?")), callback);
    String back = location(get(callback));
    assertTrue(back.startsWith("/agent/#sso="), back);
    String token = fragment(back, "#sso=");
    JsonNode me = http().expect(200, "GET", "/api/me", token, null).path("user");
    assertEquals("yoon", me.path("username").asText());
    assertEquals("AGENT", me.path("role").asText());
    assertEquals("회사 yoon", me.path("name").asText());
    assertEquals("OIDC", audit(tenant, "auth.login").get(0).path("detail").asText());
    assertEquals("user.created_by_directory", audit(tenant, "user.").get(0).path("action").asText());

    // The same callback again: its state was used, so nothing is signed in.
    assertEquals("expired", fragment(location(get(callback)), "#sso-error="));

    // The provider now puts yoon in the managers' group: the account follows at the next sign-in.
    providerWillSay("sangdam-a", "yoon", List.of("cs-managers"), 3600);
    String managerToken = fragment(location(get(providerRedirect(tenant))), "#sso=");
    assertEquals("CENTER_MANAGER", http().expect(200, "GET", "/api/me", managerToken, null).path("user")
        .path("role").asText());
  }

  @Test
  void aWrongOrMissingStateIsRefusedAndAudited() {
    String tenant = tenantWithProvider("sangdam-a");
    assertEquals("expired", fragment(location(get(ours("/api/auth/oidc/callback?code=abc&state=forged"))),
        "#sso-error="));
    assertEquals("expired", fragment(location(get(ours("/api/auth/oidc/callback?code=abc"))), "#sso-error="));
    assertEquals("expired", fragment(location(get(ours("/api/auth/oidc/callback?state=" + "s".repeat(1_000)))),
        "#sso-error="));
    JsonNode refused = audit(null, "auth.login.refused_by_company");
    assertTrue(refused.size() >= 3);
    assertTrue(refused.get(0).path("detail").asText().contains("state"), refused::toString);
    assertEquals(0, http().expect(200, "GET", "/api/tenants/" + tenant + "/users", server.adminToken(), null)
        .path("items").size());
  }

  @Test
  void aCodeBroughtBackWithAnotherSignInsStateFailsItsPkceVerifier() {
    String tenant = tenantWithProvider("sangdam-a");
    String first = location(get(ours("/api/auth/oidc/start?tenant=" + tenant + "&console=admin")));
    String second = location(get(ours("/api/auth/oidc/start?tenant=" + tenant + "&console=admin")));
    providerWillSay("sangdam-a", "seo", List.of("cs-agents"), 3600);
    Map<String, String> firstAnswer = query(location(get(first)));
    String secondState = query(second).get("state");
    // The first sign-in's code, brought back with the second's state: the second's verifier does not fit it.
    String back = location(get(ours("/api/auth/oidc/callback?code=" + firstAnswer.get("code") + "&state="
        + secondState)));
    assertEquals("refused", fragment(back, "#sso-error="));
    String detail = audit(tenant, "auth.login.refused_by_company").get(0).path("detail").asText();
    assertTrue(detail.contains("token endpoint answered invalid_grant") && detail.contains("pkce"), detail);
  }

  @Test
  void anIdTokenWithAnotherNonceIsRefused() {
    String tenant = tenantWithProvider("sangdam-a");
    provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-ko", "JWT", List.of("sangdam-a"),
        Map.of("preferred_username", "ko", "groups", List.of("cs-agents"), "nonce", "replayed-nonce"), 3600));
    assertEquals("refused", fragment(location(get(providerRedirect(tenant))), "#sso-error="));
    String detail = audit(tenant, "auth.login.refused_by_company").get(0).path("detail").asText();
    assertTrue(detail.contains("nonce"), detail);
  }

  @Test
  void aTokenForAnotherTenantsClientIsRefused() {
    String tenant = tenantWithProvider("sangdam-b");
    // The provider answers tenant B's sign-in with an ID token made out to tenant A's client.
    provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-han", "JWT", List.of("sangdam-a"),
        Map.of("preferred_username", "han", "groups", List.of("cs-agents"), "aud", List.of("sangdam-a")), 3600));
    assertEquals("refused", fragment(location(get(providerRedirect(tenant))), "#sso-error="));
    String detail = audit(tenant, "auth.login.refused_by_company").get(0).path("detail").asText();
    assertTrue(detail.contains("audience"), detail);
    assertEquals(0, http().expect(200, "GET", "/api/tenants/" + tenant + "/users", server.adminToken(), null)
        .path("items").size());
  }

  @Test
  void anExpiredTokenIsRefused() {
    String tenant = tenantWithProvider("sangdam-a");
    providerWillSay("sangdam-a", "moon", List.of("cs-agents"), -3600);
    assertEquals("refused", fragment(location(get(providerRedirect(tenant))), "#sso-error="));
    assertTrue(audit(tenant, "auth.login.refused_by_company").get(0).path("detail").asText().contains("xpired"));
  }

  @Test
  void noMappingIsRefusedAndNoAccountIsMade() {
    String tenant = tenantWithProvider("sangdam-a");
    providerWillSay("sangdam-a", "bae", List.of("marketing"), 3600);
    assertEquals("no_role", fragment(location(get(providerRedirect(tenant))), "#sso-error="));
    assertTrue(audit(tenant, "auth.login.refused_by_company").get(0).path("detail").asText().contains("no mapping"));
    assertEquals(0, http().expect(200, "GET", "/api/tenants/" + tenant + "/users", server.adminToken(), null)
        .path("items").size());
  }

  @Test
  void theStartRefusesWhatItCannotServe() {
    String tenant = tenantWithProvider("sangdam-a");
    assertFalse(http().expect(200, "GET", "/api/auth/company-sign-in?tenant=nosuchtenant", null, null).path("oidc")
        .asBoolean());
    assertEquals(422, http().send("GET", "/api/auth/company-sign-in?tenant=Not%20A%20Code", null, null).status());
    assertEquals(404, http().send("GET", "/api/auth/oidc/start?tenant=nosuchtenant", null, null).status());
    assertEquals(422, http().send("GET", "/api/auth/oidc/start?tenant=" + tenant + "&console=evil", null, null)
        .status());
    String path = "/api/tenants/" + tenant + "/company-sign-in";
    String admin = server.adminToken();
    JsonNode shown = http().expect(200, "GET", path, admin, null);
    assertTrue(shown.path("oidc").path("clientSecretSet").asBoolean());
    assertFalse(shown.toString().contains("client-secret-1"));
    ObjectNode plainIssuer = oidc("x");
    plainIssuer.put("issuer", "http://idp.corp.example/");
    assertEquals(422, http().send("PUT", path, admin, of("oidc", plainIssuer)).status());
    ObjectNode elsewhere = oidc("x");
    elsewhere.put("redirectUri", "https://evil.example/steal");
    assertEquals(422, http().send("PUT", path, admin, of("oidc", elsewhere)).status());
    ObjectNode noOpenid = oidc("x");
    noOpenid.set("scopes", Json.MAPPER.valueToTree(List.of("profile")));
    assertEquals(422, http().send("PUT", path, admin, of("oidc", noOpenid)).status());
    ObjectNode noSecret = oidc("x");
    noSecret.put("clientSecret", "");
    assertEquals(422, http().send("PUT", path, admin, of("oidc", noSecret)).status());
  }
}
