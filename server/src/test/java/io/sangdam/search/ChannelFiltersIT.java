package io.sangdam.search;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.channel.InboundSignature;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Search and statistics by channel code and kind. One tenant with two CUSTOM channels ({@code app},
 * {@code shop}) and a KAKAO one ({@code kakao}, no conversation yet); its agent answers and closes one
 * conversation from the widget, one from {@code app} and one from {@code shop}.
 */
class ChannelFiltersIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static TestServer.Setup s;
  private static final Map<String, Long> conversations = new java.util.HashMap<>();

  @BeforeAll
  static void threeConversations() {
    s = server.setUp();
    Http http = server.http();
    String app = channel(s, "app", "CUSTOM");
    String shop = channel(s, "shop", "CUSTOM");
    channel(s, "kakao", "KAKAO");
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "웹고객")).next("welcome");
      long web = customer.send(of("type", "start", "queue", "card", "text", "웹에서 문의")).next("started")
          .path("conversation").path("id").asLong();
      closeWhenAssigned(agent, web);
      conversations.put("web", web);
      conversations.put("app", inbound(s, "app", app, "u-1"));
      closeWhenAssigned(agent, conversations.get("app"));
      conversations.put("shop", inbound(s, "shop", shop, "u-2"));
      closeWhenAssigned(agent, conversations.get("shop"));
    }
    assertEquals(3, http.expect(200, "GET", "/api/tenants/" + s.tenant() + "/conversations", s.adminToken(), null)
        .path("conversations").size());
  }

  /** Creates a channel; returns its secret. */
  static String channel(TestServer.Setup setup, String code, String kind) {
    Object body = kind.equals("CUSTOM")
        ? of("code", code, "kind", kind, "center", "seoul", "queue", "card", "outboundUrl", "http://192.0.2.1/out")
        : of("code", code, "kind", kind, "center", "seoul", "queue", "card", "apiUrl", "http://192.0.2.1/kakao",
            "clientId", "sangdam", "clientSecret", "dealer-secret", "senderKey", "sender-1");
    return server.http().expect(201, "POST", "/api/tenants/" + setup.tenant() + "/channels", setup.adminToken(), body)
        .path("secret").asText();
  }

  /** A signed message from {@code user} on the channel; returns its conversation. */
  static long inbound(TestServer.Setup setup, String code, String secret, String user) {
    byte[] bytes = of("user", user, "name", "채널고객", "mid", "m-" + user, "text", "채널에서 문의").toString()
        .getBytes(StandardCharsets.UTF_8);
    Http.Response r = server.http().sendSigned("POST", "/channels/" + setup.tenant() + "/" + code + "/inbound",
        Map.of(InboundSignature.HEADER, InboundSignature.header(secret, Instant.now().getEpochSecond(), bytes)), bytes);
    assertEquals(200, r.status(), r.body().toString());
    return r.body().path("conversation").asLong();
  }

  private static void closeWhenAssigned(WsClient agent, long id) {
    assertEquals(id, agent.until("assigned").path("conversation").path("id").asLong());
    agent.send(of("type", "close", "conversation", id));
    assertEquals(id, agent.until("closed").path("conversation").asLong());
  }

  private static TreeSet<String> found(String query) {
    JsonNode answer = server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/conversations?" + query,
        s.adminToken(), null);
    TreeSet<String> channels = new TreeSet<>();
    for (JsonNode c : answer.path("conversations")) {
      assertEquals(conversations.get(c.path("channel").asText()), c.path("id").asLong());
      channels.add(c.path("channel").asText() + ":" + c.path("channelKind").asText());
    }
    return channels;
  }

  @Test
  void searchFiltersByChannelCodeAndKind() {
    assertEquals(new TreeSet<>(List.of("app:CUSTOM")), found("channel=app"));
    assertEquals(new TreeSet<>(List.of("web:WEB")), found("channel=web"));
    assertEquals(new TreeSet<>(List.of("app:CUSTOM", "shop:CUSTOM")), found("channelKind=CUSTOM"));
    assertEquals(new TreeSet<>(List.of("web:WEB")), found("channelKind=web"), "kinds match in any case");
    assertEquals(new TreeSet<>(), found("channelKind=KAKAO"), "a kind with no conversation finds none");
    assertEquals(new TreeSet<>(), found("channel=app&channelKind=WEB"), "a channel not of the kind finds none");
    assertEquals(new TreeSet<>(List.of("shop:CUSTOM")), found("channel=shop&channelKind=CUSTOM"));
    assertEquals(new TreeSet<>(List.of("app:CUSTOM", "shop:CUSTOM", "web:WEB")), found("limit=50"));
  }

  @Test
  void aTranscriptNamesItsChannelAndKind() {
    JsonNode t = server.http().expect(200, "GET", "/api/conversations/" + conversations.get("shop"), s.adminToken(),
        null);
    assertEquals("shop", t.path("channel").asText());
    assertEquals("CUSTOM", t.path("channelKind").asText());
  }

  private static JsonNode stats(String query) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    return server.http().expect(200, "GET", "/api/stats?scope=" + s.tenant() + "&timezone=UTC&from="
        + today.minusDays(1) + "&to=" + today.plusDays(1) + query, s.adminToken(), null).path("total");
  }

  @Test
  void statisticsCountByChannelCodeAndKind() {
    assertEquals(3, stats("").path("offered").asLong());
    assertEquals(3, stats("").path("handled").asLong());
    assertEquals(1, stats("&channel=app").path("offered").asLong());
    assertEquals(1, stats("&channel=app").path("handled").asLong());
    assertEquals(1, stats("&channel=web").path("offered").asLong());
    assertEquals(2, stats("&channelKind=CUSTOM").path("offered").asLong());
    assertEquals(2, stats("&channelKind=CUSTOM").path("handled").asLong());
    assertEquals(1, stats("&channelKind=WEB").path("offered").asLong());
    assertEquals(0, stats("&channelKind=KAKAO").path("offered").asLong());
    assertEquals(0, stats("&channel=shop&channelKind=WEB").path("offered").asLong());
    assertTrue(stats("&channelKind=KAKAO").path("avgWaitSeconds").isNull(), "no wait counted where nothing was");
  }

  @Test
  void everyUserOfTheTenantReadsEachChannelsKind() {
    JsonNode kinds = server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/channel-kinds", s.agentToken(),
        null);
    assertEquals(of("channels", List.of(Map.of("code", "web", "kind", "WEB"), Map.of("code", "app", "kind", "CUSTOM"),
        Map.of("code", "kakao", "kind", "KAKAO"), Map.of("code", "shop", "kind", "CUSTOM"))), kinds);
  }

  @Test
  void badChannelFiltersAreRefusedNamingTheParameter() {
    String search = "/api/tenants/" + s.tenant() + "/conversations?";
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String stats = "/api/stats?scope=" + s.tenant() + "&from=" + today + "&to=" + today + "&";
    List<String> problems = new ArrayList<>();
    for (String base : List.of(search, stats)) {
      refused(problems, base + "channelKind=LINE", 422, "channelKind");
      refused(problems, base + "channel=Not_A%20Code", 422, "channel");
      refused(problems, base + "channel=nowhere", 404, "nowhere");
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void anotherTenantsChannelIsNotFoundAndItsAdminSeesNone() {
    TestServer.Setup other = server.setUp();
    channel(other, "elsewhere", "CUSTOM");
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    assertEquals(404, server.http().send("GET", "/api/tenants/" + s.tenant() + "/conversations?channel=elsewhere",
        s.adminToken(), null).status());
    assertEquals(404, server.http().send("GET", "/api/stats?scope=" + s.tenant() + "&from=" + today + "&to=" + today
        + "&channel=elsewhere", s.adminToken(), null).status());
    String otherAdmin = tenantAdmin(other);
    assertEquals(404, server.http().send("GET", "/api/tenants/" + s.tenant() + "/conversations?channel=app",
        otherAdmin, null).status(), "another tenant's admin does not see this tenant");
    assertEquals(404, server.http().send("GET", "/api/stats?scope=" + s.tenant() + "&from=" + today + "&to=" + today
        + "&channel=app", otherAdmin, null).status());
    assertEquals(0, server.http().expect(200, "GET", "/api/tenants/" + other.tenant() + "/conversations?channel=elsewhere",
        otherAdmin, null).path("conversations").size());
  }

  static String tenantAdmin(TestServer.Setup setup) {
    server.http().expect(201, "POST", "/api/tenants/" + setup.tenant() + "/users", setup.adminToken(),
        of("username", "boss", "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    return server.http().login(setup.tenant(), "boss", TestServer.STAFF_PASSWORD);
  }

  private static void refused(List<String> problems, String path, int status, String named) {
    Http.Response r = server.http().send("GET", path, s.adminToken(), null);
    if (r.status() != status || !r.body().path("error").path("message").asText().contains(named)) {
      problems.add(path + ": " + r.status() + " " + r.body());
    }
  }
}
