package io.sangdam.company;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * client, an expired token, no mapping), each audited. Each browser is an HTTP client that keeps
 * cookies as a browser does, so a sign-in is finished by the browser that started it unless a test
 * says otherwise.
 */
class CompanyOidcSignInIT {
  @RegisterExtension
  // The tests' own address stands for a TLS-terminating reverse proxy when it says X-Forwarded-Proto.
  static final TestServer server = new TestServer().with("http.trustedProxies", "127.0.0.1");

  private static final String ISSUER_ID = "corp";
  private static MockOAuth2Server provider;
  /** This test's browser. */
  private final HttpClient browser = newBrowser();

  private static HttpClient newBrowser() {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(new CookieManager())
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @BeforeAll
  static void startProvider() throws Exception {
    provider = new MockOAuth2Server();
    provider.start(InetAddress.getByName("127.0.0.1"), 0);
    // The provider makes its signing keys at its first request, which can take longer than the server's
    // 10 s read timeout on a busy machine: made here, before any test's sign-in.
    String issuer = provider.issuerUrl(ISSUER_ID).toString();
    HttpClient browser = newBrowser();
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

  /** The provider's next ID token, for client sangdam-a: the person {@code sub}, now named {@code username}. */
  private static void providerWillSay(String sub, String username, List<String> groups) {
    provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, sub, "JWT", List.of("sangdam-a"),
        Map.of("preferred_username", username, "name", "회사 " + username, "groups", groups), 3600));
  }

  private HttpResponse<String> get(String url) {
    return get(browser, url);
  }

  private static HttpResponse<String> get(HttpClient browser, String url) {
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
  private String providerRedirect(String tenant) {
    return providerRedirect(browser, tenant);
  }

  private static String providerRedirect(HttpClient browser, String tenant) {
    String authorize = location(get(browser, ours("/api/auth/oidc/start?tenant=" + tenant + "&console=admin")));
    return location(get(browser, authorize));
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

  private static String setCookie(HttpResponse<String> response) {
    return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("sangdam_oidc="))
        .findFirst().orElseThrow(() -> new AssertionError("no sign-in cookie in " + response.headers()));
  }

  private static String cookieValue(String setCookie) {
    return setCookie.substring("sangdam_oidc=".length(), setCookie.indexOf(';'));
  }

  private String refusalDetail(String tenant) {
    return audit(tenant, "auth.login.refused_by_company").get(0).path("detail").asText();
  }

  @Test
  void theStartGivesTheBrowserAnHttpOnlyLaxCookieForTheCallbackAndTheCallbackClearsIt() throws Exception {
    String tenant = tenantWithProvider("sangdam-a");
    HttpResponse<String> start = get(ours("/api/auth/oidc/start?tenant=" + tenant + "&console=admin"));
    String cookie = setCookie(start);
    assertEquals(43, cookieValue(cookie).length(), cookie);
    // Attribute names are case-insensitive (RFC 6265 section 5.2); Netty writes HTTPOnly.
    assertTrue(cookie.contains("; Path=/api/auth/oidc") && cookie.toLowerCase(Locale.ROOT).contains("; httponly")
        && cookie.contains("; SameSite=Lax") && cookie.contains("; Max-Age=600"), cookie);
    assertFalse(cookie.contains("Secure"), "plain HTTP: a Secure cookie would never come back: " + cookie);
    // Neither the provider's address nor the page the browser is sent back to carries it.
    assertFalse(location(start).contains(cookieValue(cookie)));

    providerWillSay("sangdam-a", "jang", List.of("cs-agents"), 3600);
    HttpResponse<String> back = get(location(get(location(start))));
    assertTrue(location(back).startsWith("/admin/#sso="), location(back));
    String cleared = setCookie(back);
    assertTrue(cleared.startsWith("sangdam_oidc=;") && cleared.contains("Max-Age=0")
        && cleared.contains("; Path=/api/auth/oidc"), cleared);
    assertTrue(((CookieManager) browser.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
        .noneMatch(c -> c.getName().equals("sangdam_oidc")), "the browser forgot the cookie");

    // Behind a TLS-terminating proxy the server trusts, the cookie is Secure.
    HttpResponse<String> viaProxy = browser.send(HttpRequest.newBuilder(URI.create(ours("/api/auth/oidc/start?tenant="
        + tenant))).header("X-Forwarded-Proto", "https").timeout(Duration.ofSeconds(15)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(setCookie(viaProxy).contains("; Secure"), setCookie(viaProxy));
  }

  @Test
  void aCallbackWithoutTheStartingBrowsersCookieIsRefusedAndSpendsTheSignIn() {
    String tenant = tenantWithProvider("sangdam-a");
    // No token is queued at the provider where the server will not exchange the code: it would be another test's.
    String callback = providerRedirect(tenant);
    // The callback reaches a browser without the cookie (another browser, or one that refuses cookies).
    HttpResponse<String> elsewhere = get(newBrowser(), callback);
    assertEquals("other_browser", fragment(location(elsewhere), "#sso-error="));
    assertTrue(setCookie(elsewhere).contains("Max-Age=0"));
    assertTrue(refusalDetail(tenant).contains("no sign-in cookie"), refusalDetail(tenant));
    // The state is spent: the browser that started it cannot finish it afterwards either.
    assertEquals("expired", fragment(location(get(callback)), "#sso-error="));
    assertEquals(0, http().expect(200, "GET", "/api/tenants/" + tenant + "/users", server.adminToken(), null)
        .size());
  }

  @Test
  void anAttackersSignInFinishedInTheVictimsBrowserIsRefused() {
    String tenant = tenantWithProvider("sangdam-a");
    // The attacker signs in at the provider in their own browser and stops before the callback.
    HttpClient attacker = newBrowser();
    String attackersCallback = location(get(attacker, location(get(attacker,
        ours("/api/auth/oidc/start?tenant=" + tenant + "&console=admin")))));
    // The victim's browser has a sign-in cookie of its own (it started one) and is lured to that callback.
    HttpClient victim = newBrowser();
    String victimsAuthorize = location(get(victim, ours("/api/auth/oidc/start?tenant=" + tenant + "&console=admin")));
    assertEquals("other_browser", fragment(location(get(victim, attackersCallback)), "#sso-error="));
    assertTrue(refusalDetail(tenant).contains("sign-in cookie is another's"), refusalDetail(tenant));
    // Nothing was signed in as the attacker; the attacker's own code is spent.
    audit(tenant, "auth.login").forEach(e -> assertFalse(e.path("action").asText().equals("auth.login"), e::toString));
    assertEquals("expired", fragment(location(get(attacker, attackersCallback)), "#sso-error="));
    // The lure cleared the victim's cookie, so the sign-in it had started cannot finish; a new one works.
    assertEquals("other_browser", fragment(location(get(victim, location(get(victim, victimsAuthorize)))),
        "#sso-error="));
    providerWillSay("sangdam-a", "victim", List.of("cs-agents"), 3600);
    assertTrue(location(get(victim, providerRedirect(victim, tenant))).startsWith("/admin/#sso="));
  }

  @Test
  void aReplayedCallbackIsRefusedEvenWithTheRightCookie() throws Exception {
    String tenant = tenantWithProvider("sangdam-a");
    HttpResponse<String> start = get(ours("/api/auth/oidc/start?tenant=" + tenant + "&console=admin"));
    String value = cookieValue(setCookie(start));
    providerWillSay("sangdam-a", "oh", List.of("cs-agents"), 3600);
    String callback = location(get(location(start)));
    assertTrue(location(get(callback)).startsWith("/admin/#sso="));
    // Someone who copied both the callback address and the cookie (the same browser's history, a proxy log).
    HttpResponse<String> replay = newBrowser().send(HttpRequest.newBuilder(URI.create(callback))
        .header("Cookie", "sangdam_oidc=" + value).timeout(Duration.ofSeconds(15)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals("expired", fragment(location(replay), "#sso-error="));
    assertTrue(refusalDetail(null).contains("used or expired state"), refusalDetail(null));
    // Malformed cookies (an oversized one, two of the name, garbage) are refused, not failures.
    for (String hostile : List.of("sangdam_oidc=" + "x".repeat(4_000), "sangdam_oidc=a; sangdam_oidc=b",
        "sangdam_oidc", ";;;=;")) {
      String hostileCallback = providerRedirect(tenant);
      HttpResponse<String> answer = newBrowser().send(HttpRequest.newBuilder(URI.create(hostileCallback))
          .header("Cookie", hostile).timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("other_browser", fragment(location(answer), "#sso-error="), hostile);
    }
  }

  /** A whole sign-in in this test's browser: the token, or the reason it was refused. */
  private String signIn(String tenant) {
    return location(get(providerRedirect(tenant)));
  }

  private JsonNode me(String back) {
    assertTrue(back.startsWith("/admin/#sso="), back);
    return http().expect(200, "GET", "/api/me", fragment(back, "#sso="), null).path("user");
  }

  private static void forgetBinding(String tenant, String username) throws SQLException {
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("""
            UPDATE app_user u JOIN tenant t ON t.id = u.tenant_id
            SET u.company_issuer = NULL, u.company_subject = NULL, u.company_identity = NULL
            WHERE t.code = ? AND u.username = ?
            """)) {
      ps.setString(1, tenant);
      ps.setString(2, username);
      assertEquals(1, ps.executeUpdate());
    }
  }

  @Test
  void anotherPersonUnderTheSameUsernameIsRefusedNotMergedAndTheOwnerStillSignsIn() {
    String tenant = tenantWithProvider("sangdam-a");
    providerWillSay("sub-first-ryu", "ryu", List.of("cs-agents"));
    long owner = me(signIn(tenant)).path("id").asLong();
    // The provider now gives the username to someone else (a new hire reusing a leaver's name, a second tenant
    // of the provider, a user allowed to edit their preferred_username).
    providerWillSay("sub-other-ryu", "ryu", List.of("cs-managers"));
    assertEquals("account_conflict", fragment(signIn(tenant), "#sso-error="));
    String detail = refusalDetail(tenant);
    assertTrue(detail.contains("identity mismatch") && detail.contains("sub-first-ryu")
        && detail.contains("sub-other-ryu"), detail);
    providerWillSay("sub-first-ryu", "ryu", List.of("cs-agents"));
    JsonNode again = me(signIn(tenant));
    assertEquals(owner, again.path("id").asLong());
    assertEquals("AGENT", again.path("role").asText(), "the refused sign-in changed nothing");
  }

  @Test
  void aLocalBreakGlassAccountIsNeverTakenOverByTheProvider() {
    String tenant = tenantWithProvider("sangdam-a");
    http().expect(201, "POST", "/api/tenants/" + tenant + "/users", server.adminToken(), of("username",
        "emergency", "password", "break-glass-1", "name", "비상 관리자", "role", "TENANT_ADMIN"));
    providerWillSay("sub-emergency", "emergency", List.of("cs-agents"));
    assertEquals("refused", fragment(signIn(tenant), "#sso-error="));
    assertTrue(refusalDetail(tenant).contains("local account 'emergency'"), refusalDetail(tenant));
    assertEquals("TENANT_ADMIN", http().expect(200, "POST", "/api/login", null, of("tenant", tenant, "username",
        "emergency", "password", "break-glass-1")).path("user").path("role").asText());
  }

  @Test
  void anAccountMadeBeforeBindingIsBoundAtItsNextSignInAndThenOnlyToThatPerson() throws Exception {
    String tenant = tenantWithProvider("sangdam-a");
    providerWillSay("sub-old-kwon", "kwon", List.of("cs-agents"));
    long account = me(signIn(tenant)).path("id").asLong();
    forgetBinding(tenant, "kwon");
    // The first sign-in after the upgrade binds the account to whoever the provider says kwon is now.
    providerWillSay("sub-old-kwon", "kwon", List.of("cs-agents"));
    assertEquals(account, me(signIn(tenant)).path("id").asLong());
    JsonNode bound = audit(tenant, "user.bound_by_directory").get(0);
    assertTrue(bound.path("detail").asText().contains("sub-old-kwon"), bound::toString);
    providerWillSay("sub-new-kwon", "kwon", List.of("cs-agents"));
    assertEquals("account_conflict", fragment(signIn(tenant), "#sso-error="));
  }

  @Test
  void aPersonTheProviderRenamedKeepsTheirAccountUnderTheNewNameUnlessItIsTaken() {
    String tenant = tenantWithProvider("sangdam-a");
    providerWillSay("sub-hwang", "hwang", List.of("cs-agents"));
    long account = me(signIn(tenant)).path("id").asLong();
    providerWillSay("sub-hwang", "hwang-j", List.of("cs-agents"));
    JsonNode renamed = me(signIn(tenant));
    assertEquals(account, renamed.path("id").asLong());
    assertEquals("hwang-j", renamed.path("username").asText());
    assertTrue(audit(tenant, "user.renamed_by_directory").get(0).path("detail").asText()
        .contains("'hwang' is now 'hwang-j'"));
    // The old name is free again: another person of the provider who holds it gets an account of their own.
    providerWillSay("sub-hwang-2", "hwang", List.of("cs-agents"));
    JsonNode newcomer = me(signIn(tenant));
    assertFalse(account == newcomer.path("id").asLong());
    // Renamed back to a name another account holds: refused with the reason, both accounts as they were.
    providerWillSay("sub-hwang", "hwang", List.of("cs-agents"));
    assertEquals("account_conflict", fragment(signIn(tenant), "#sso-error="));
    assertTrue(refusalDetail(tenant).contains("identity renamed"), refusalDetail(tenant));
    providerWillSay("sub-hwang-2", "hwang", List.of("cs-agents"));
    assertEquals(newcomer.path("id").asLong(), me(signIn(tenant)).path("id").asLong());
    // A new name that cannot be a username here is refused as at a first sign-in.
    providerWillSay("sub-hwang", "Hwang J.", List.of("cs-agents"));
    assertEquals("refused", fragment(signIn(tenant), "#sso-error="));
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
        .size());
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
        .size());
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
        .size());
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
