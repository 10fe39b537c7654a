package io.sangdam.channel;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Visitors;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Customer identity across channels: a tenant admin links a channel's customer to the external id the
 * widget's verified identity carries; the agent's {@code history} then shows the conversations of both,
 * until the link is removed. Each change is audited; only HQ and the tenant's admins may make it.
 */
class CustomerLinksIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static String links(TestServer.Setup s) {
    return "/api/tenants/" + s.tenant() + "/customers/links";
  }

  private static String channel(TestServer.Setup s) {
    return server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/channels", s.adminToken(),
        of("code", "app", "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl", "http://192.0.2.1/out"))
        .path("secret").asText();
  }

  private static long inbound(TestServer.Setup s, String secret, String user, String mid) {
    byte[] bytes = of("user", user, "name", "채널고객", "mid", mid, "text", "카톡 문의 " + mid).toString()
        .getBytes(StandardCharsets.UTF_8);
    Http.Response r = server.http().sendSigned("POST", "/channels/" + s.tenant() + "/app/inbound",
        Map.of(InboundSignature.HEADER, InboundSignature.header(secret, Instant.now().getEpochSecond(), bytes)), bytes);
    assertEquals(200, r.status(), r.body().toString());
    return r.body().path("conversation").asLong();
  }

  private static String tenantAdmin(TestServer.Setup s) {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    return server.http().login(s.tenant(), "boss", TestServer.STAFF_PASSWORD);
  }

  /** A widget chat of the verified customer {@code externalId}, assigned to the agent; returns the conversation. */
  private static JsonNode widgetChat(TestServer.Setup s, WsClient agent, WsClient customer, String identitySecret,
      String externalId) {
    customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "name", "홍길동", "externalId",
        externalId, "signature", HexFormat.of().formatHex(Visitors.hmac(identitySecret, externalId)))).next("welcome");
    long id = customer.send(of("type", "start", "queue", "card", "text", "웹 문의")).next("started")
        .path("conversation").path("id").asLong();
    JsonNode assigned = agent.until("assigned").path("conversation");
    assertEquals(id, assigned.path("id").asLong());
    return assigned;
  }

  /** The conversations {@code history} shows before {@code conversation}, as "channel:id". */
  private static TreeSet<String> history(WsClient agent, long conversation) {
    JsonNode h = agent.send(of("type", "history", "rid", "h" + conversation, "conversation", conversation))
        .until("history");
    TreeSet<String> earlier = new TreeSet<>();
    for (JsonNode past : h.path("earlier")) {
      earlier.add(past.path("conversation").path("channel").asText() + ":" + past.path("conversation").path("id")
          .asLong());
    }
    return earlier;
  }

  private static void close(WsClient agent, long id) {
    agent.send(of("type", "close", "conversation", id));
    assertEquals(id, agent.until("closed").path("conversation").asLong());
  }

  @Test
  void aLinkedChannelCustomerSharesTheHistoryOfTheVerifiedCustomerUntilUnlinked() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    String identitySecret = http.expect(200, "POST", "/api/tenants/" + s.tenant() + "/identity-secret",
        s.adminToken(), null).path("secret").asText();
    String secret = channel(s);
    String admin = tenantAdmin(s);
    try (WsClient agent = server.agent().ignoring("presence")) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");

      long kakao = inbound(s, secret, "kakao-9", "m-1");
      assertEquals(kakao, agent.until("assigned").path("conversation").path("id").asLong());
      close(agent, kakao);

      long web;
      long widgetCustomer;
      try (WsClient customer = server.customer()) {
        JsonNode w = widgetChat(s, agent, customer, identitySecret, "member-77");
        web = w.path("id").asLong();
        widgetCustomer = w.path("customer").path("id").asLong();
        assertEquals(new TreeSet<>(), history(agent, web), "not linked yet: a stranger");

        JsonNode linked = http.expect(200, "POST", links(s), admin,
            of("channel", "app", "user", "kakao-9", "externalId", "member-77"));
        assertEquals("member-77", linked.path("externalId").asText());
        assertEquals(new TreeSet<>(List.of("app:" + kakao)), history(agent, web),
            "linked: the widget customer's history shows the KakaoTalk conversation");
        close(agent, web);
      }

      long again = inbound(s, secret, "kakao-9", "m-2");
      assertEquals(again, agent.until("assigned").path("conversation").path("id").asLong());
      assertEquals(new TreeSet<>(List.of("app:" + kakao, "web:" + web)), history(agent, again),
          "and the channel customer's history shows the widget's");
      JsonNode profile = agent.send(of("type", "history", "rid", "p", "conversation", again)).until("history");
      assertEquals("member-77", profile.path("customer").path("externalId").asText());
      close(agent, again);

      try (WsClient customer = server.customer()) {
        JsonNode w = widgetChat(s, agent, customer, identitySecret, "member-77");
        assertEquals(widgetCustomer, w.path("customer").path("id").asLong(),
            "the verified widget customer keeps their own record: a linked channel customer is never signed in as");
        http.expect(204, "DELETE", links(s), admin, of("channel", "app", "user", "kakao-9"));
        assertEquals(new TreeSet<>(List.of("web:" + web)), history(agent, w.path("id").asLong()),
            "unlinked: only the widget's own conversations");
        close(agent, w.path("id").asLong());
      }
    }
    assertEquals(404, http.send("DELETE", links(s), admin, of("channel", "app", "user", "kakao-9")).status(),
        "no link left to remove");

    JsonNode posted = http.expect(200, "GET", "/api/audit?action=manage.post&tenant=" + s.tenant(), s.adminToken(),
        null).path("entries");
    assertTrue(posted.toString().contains("POST /api/tenants/{tenant}/customers/links")
        && posted.toString().contains("m*******7") && posted.toString().contains("k*****9"),
        "the link is audited, who it links masked: " + posted);
    JsonNode deleted = http.expect(200, "GET", "/api/audit?action=manage.delete&tenant=" + s.tenant(), s.adminToken(),
        null).path("entries");
    assertTrue(deleted.toString().contains("DELETE /api/tenants/{tenant}/customers/links")
        && deleted.toString().contains("k*****9"), "and so is the unlink: " + deleted);
    String audit = http.expect(200, "GET", "/api/audit?tenant=" + s.tenant() + "&limit=200", s.adminToken(), null)
        .toString();
    assertFalse(audit.contains("member-77") || audit.contains("kakao-9"),
        "the audit log names the customer by no id of theirs in clear: " + audit);
  }

  @Test
  void onlyHqAndTheTenantsAdminsLinkAndBadInputIsRefusedNamingTheField() {
    TestServer.Setup s = server.setUp();
    TestServer.Setup other = server.setUp();
    Http http = server.http();
    String secret = channel(s);
    inbound(s, secret, "kakao-1", "m-1");
    Object link = of("channel", "app", "user", "kakao-1", "externalId", "member-1");
    String otherAdmin = tenantAdmin(other);

    assertEquals(403, http.send("POST", links(s), s.agentToken(), link).status(), "an agent");
    assertEquals(404, http.send("POST", links(s), otherAdmin, link).status(), "another tenant's admin");
    assertEquals(404, http.send("DELETE", links(s), otherAdmin, of("channel", "app", "user", "kakao-1")).status());
    assertEquals(404, http.send("POST", links(other), otherAdmin, link).status(),
        "the other tenant has no such channel");
    http.expect(200, "POST", links(s), s.adminToken(), link);

    List<String> problems = new ArrayList<>();
    refused(problems, s, of("channel", "nowhere", "user", "kakao-1", "externalId", "x"), 404, "nowhere");
    refused(problems, s, of("channel", "app", "user", "never-wrote", "externalId", "x"), 404, "never-wrote");
    refused(problems, s, of("channel", "app", "user", "kakao-1"), 422, "externalId");
    refused(problems, s, of("channel", "app", "externalId", "x"), 422, "user");
    refused(problems, s, of("user", "kakao-1", "externalId", "x"), 422, "channel");
    refused(problems, s, of("channel", "web", "user", "kakao-1", "externalId", "x"), 422, "channel");
    refused(problems, s, of("channel", "app", "user", " ", "externalId", "x"), 422, "user");
    refused(problems, s, of("channel", "app", "user", "kakao-1", "externalId", "x".repeat(101)), 422, "externalId");
    refused(problems, s, of("channel", "app", "user", "kakao-1", "externalId", 7), 422, "externalId");
    Http.Response malformed = http.send("POST", links(s), s.adminToken(), "{\"channel\":");
    if (malformed.status() != 400) {
      problems.add("malformed JSON: " + malformed.status() + " " + malformed.body());
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  private static void refused(List<String> problems, TestServer.Setup s, Object body, int status, String named) {
    Http.Response r = server.http().send("POST", links(s), s.adminToken(), body);
    if (r.status() != status || !r.body().path("error").path("message").asText().contains(named)) {
      problems.add(body + ": " + r.status() + " " + r.body());
    }
  }
}
