package io.sangdam.api;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.channel.InboundSignature;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every REST endpoint, called by every kind of caller, against tenant A's data: HQ; A's tenant
 * admin, Seoul center manager, Busan center manager and Seoul agent; tenant B's admin and agent;
 * and nobody. A cell is allowed when the answer is anything but 401, 403 or 404 (a validation
 * error or a conflict means the caller got past the scope check). B's callers are denied every
 * cell; on the few endpoints without a tenant in the path, what B sees never names tenant A. Two callers hold
 * tenant A's custom roles: a quality reviewer (QR: on a center manager's level over Seoul and Busan, with
 * transcripts.read only) and a supervisor without unmask (SV: Seoul, a center manager's permissions but
 * pii.unmask); their cells are declared apart from the rows, below.
 */
class AccessMatrixIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final List<String> CALLERS = List.of("HQ", "TA", "CM", "CM2", "AG", "XTA", "XAG", "NONE", "QR", "SV");
  private static final AtomicInteger fresh = new AtomicInteger();

  /** One endpoint: method, path and body with placeholders, and the callers allowed. */
  private record Row(String method, String path, String body, Set<String> allowed) {}

  private static Row row(String method, String path, String body, String allowed) {
    return new Row(method, path, body, Set.of(allowed.isEmpty() ? new String[0] : allowed.split(" ")));
  }

  /** A scenario that checks in tenant A (its Seoul center has the queue card). */
  private static final String SCENARIO = "{\"name\":\"인사\",\"start\":\"hi\",\"fallback\":{\"text\":\"연결할게요\","
      + "\"next\":\"agent\"},\"nodes\":[{\"id\":\"hi\",\"type\":\"message\",\"text\":\"안녕하세요\","
      + "\"next\":\"agent\"},{\"id\":\"agent\",\"type\":\"handoff\",\"queue\":\"card\"}]}";

  /** Every authenticated route of the API; a test below checks none is missing. */
  private static final List<Row> ROWS = List.of(
      row("GET", "/api/tenants", null, "HQ TA XTA"),
      row("POST", "/api/tenants", "{\"code\":\"n{n}\",\"name\":\"새 계열사\"}", "HQ"),
      row("GET", "/api/tenants/{T}", null, "HQ TA"),
      row("PUT", "/api/tenants/{T}", "{\"name\":\"계열사 A\"}", "HQ TA"),
      row("POST", "/api/tenants/{T}/identity-secret", null, "HQ TA"),
      row("GET", "/api/tenants/{T}/centers", null, "HQ TA CM CM2"),
      row("POST", "/api/tenants/{T}/centers", "{\"code\":\"c{n}\",\"name\":\"센터\"}", "HQ TA"),
      row("GET", "/api/tenants/{T}/centers/seoul", null, "HQ TA CM"),
      row("PUT", "/api/tenants/{T}/centers/seoul", "{\"name\":\"서울\"}", "HQ TA"),
      row("GET", "/api/tenants/{T}/centers/seoul/hours", null, "HQ TA CM"),
      row("PUT", "/api/tenants/{T}/centers/seoul/hours", "{\"timezone\":\"Asia/Seoul\",\"weekly\":{},"
          + "\"outOfHours\":\"ACCEPT\"}", "HQ TA CM"),
      row("DELETE", "/api/tenants/{T}/centers/seoul/hours", null, "HQ TA CM"),
      row("GET", "/api/tenants/{T}/centers/seoul/settings", null, "HQ TA CM"),
      row("PUT", "/api/tenants/{T}/centers/seoul/settings", "{}", "HQ TA CM"),
      row("GET", "/api/tenants/{T}/centers/busan/inquiries", null, "HQ TA CM2"),
      row("POST", "/api/tenants/{T}/centers/busan/inquiries/{inquiry}/handled", null, "HQ TA CM2"),
      row("PUT", "/api/tenants/{T}/customers/{customer}/priority", "{\"priority\":1}", "HQ TA CM CM2"),
      row("GET", "/api/tenants/{T}/centers/seoul/queues", null, "HQ TA CM"),
      row("POST", "/api/tenants/{T}/centers/seoul/queues", "{\"code\":\"q{n}\",\"name\":\"큐\",\"policy\":\"MANUAL\"}",
          "HQ TA CM"),
      row("GET", "/api/tenants/{T}/centers/seoul/queues/card", null, "HQ TA CM"),
      row("PUT", "/api/tenants/{T}/centers/seoul/queues/card", "{\"priority\":0}", "HQ TA CM"),
      row("GET", "/api/tenants/{T}/users", null, "HQ TA CM CM2"),
      row("POST", "/api/tenants/{T}/users", "{\"username\":\"u{n}\",\"password\":\"user-pass-1\",\"name\":\"상담원\","
          + "\"role\":\"AGENT\",\"center\":\"seoul\"}", "HQ TA CM"),
      row("GET", "/api/tenants/{T}/users/dummy", null, "HQ TA CM"),
      row("PUT", "/api/tenants/{T}/users/dummy", "{\"name\":\"더미\"}", "HQ TA CM"),
      row("POST", "/api/tenants/{T}/users/dummy/password", "{\"password\":\"dummy-pass-{n}\"}", "HQ TA CM"),
      row("GET", "/api/tenants/{T}/categories", null, "HQ TA CM CM2 AG"),
      row("POST", "/api/tenants/{T}/categories", "{\"name\":\"분류 {n}\"}", "HQ TA"),
      row("GET", "/api/tenants/{T}/categories/{category}", null, "HQ TA CM CM2 AG"),
      row("PUT", "/api/tenants/{T}/categories/{category}", "{\"name\":\"카드\"}", "HQ TA"),
      row("GET", "/api/tenants/{T}/away-reasons", null, "HQ TA CM CM2 AG"),
      row("POST", "/api/tenants/{T}/away-reasons", "{\"code\":\"r{n}\",\"name\":\"사유\"}", "HQ TA"),
      row("PUT", "/api/tenants/{T}/away-reasons/break", "{\"name\":\"휴식\"}", "HQ TA"),
      row("GET", "/api/tenants/{T}/canned", null, "HQ TA CM CM2 AG"),
      row("POST", "/api/tenants/{T}/canned", "{\"title\":\"인사\",\"shortcut\":\"s{n}\",\"body\":\"안녕하세요\"}", "HQ TA"),
      row("GET", "/api/tenants/{T}/canned/{canned}", null, "HQ TA CM CM2 AG"),
      row("PUT", "/api/tenants/{T}/canned/{canned}", "{\"title\":\"인사말\"}", "HQ TA"),
      row("GET", "/api/tenants/{T}/conversations", null, "HQ TA CM CM2 AG"),
      row("GET", "/api/tenants/{T}/conversations?format=csv&reason=check", null, "HQ TA CM CM2 AG"),
      row("GET", "/api/conversations/{conversation}", null, "HQ TA CM AG"),
      row("POST", "/api/conversations/{conversation}/unmask", "{\"field\":\"customerName\"}", "HQ TA CM"),
      row("POST", "/api/conversations/{conversation}/attachments?name=a.txt", "hello", "AG"),
      row("GET", "/api/attachments/{attachment}", null, "HQ TA CM AG"),
      row("GET", "/api/attachments/{attachment}/preview", null, "HQ TA CM AG"),
      row("GET", "/api/stats?scope={T}/seoul&from=2026-01-01&to=2026-01-31", null, "HQ TA CM"),
      row("GET", "/api/stats?scope={T}&from=2026-01-01&to=2026-01-31", null, "HQ TA"),
      row("GET", "/api/stats/bot?scope={T}/seoul&from=2026-01-01&to=2026-01-31", null, "HQ TA CM"),
      row("GET", "/api/stats/bot?scope={T}&from=2026-01-01&to=2026-01-31", null, "HQ TA"),
      row("GET", "/api/stats/agent-status?scope={T}/seoul&from=2026-01-01&to=2026-01-31", null, "HQ TA CM"),
      row("GET", "/api/stats/agent-status?scope={T}&from=2026-01-01&to=2026-01-31", null, "HQ TA"),
      row("GET", "/api/stats?scope=*&from=2026-01-01&to=2026-01-31", null, "HQ"),
      row("GET", "/api/stats/compare?scope={T}&from=2026-01-01&to=2026-01-31", null, "HQ TA"),
      row("GET", "/api/stats/compare?scope=*&from=2026-01-01&to=2026-01-31", null, "HQ"),
      row("GET", "/api/tenants/{T}/centers/seoul/alert-thresholds", null, "HQ TA CM"),
      row("PUT", "/api/tenants/{T}/centers/seoul/alert-thresholds", "{\"center\":{\"waiting\":5}}", "HQ TA CM"),
      row("GET", "/api/tenants/{T}/retention", null, "HQ TA"),
      row("PUT", "/api/tenants/{T}/retention", "{\"days\":365}", "HQ TA"),
      row("DELETE", "/api/tenants/{T}/retention", null, "HQ TA"),
      row("GET", "/api/tenants/{T}/legal-holds", null, "HQ TA"),
      // The first allowed caller places the hold; the next is told 409 (one active hold per customer).
      row("POST", "/api/tenants/{T}/legal-holds", "{\"customer\":{customer},\"reason\":\"소송\"}", "HQ TA"),
      row("POST", "/api/tenants/{T}/legal-holds/{hold}/release", "{\"reason\":\"종결\"}", "HQ TA"),
      // The customer's chat is open (and then held): 409 for whoever may ask.
      row("POST", "/api/tenants/{T}/customers/{customer}/erasure", "{\"reason\":\"삭제 요청\"}", "HQ TA"),
      row("GET", "/api/stats/callbacks?scope={T}/seoul&from=2026-01-01&to=2026-01-31", null, "HQ TA CM"),
      row("GET", "/api/stats/callbacks?scope={T}&from=2026-01-01&to=2026-01-31", null, "HQ TA"),
      row("GET", "/api/tenants/{T}/callbacks", null, "HQ TA CM CM2 AG"),
      row("GET", "/api/tenants/{T}/callbacks?view=queue", null, "CM CM2 AG"),
      // Seoul's request: the first allowed caller claims it and records the outcome; the next is told 409.
      row("POST", "/api/tenants/{T}/callbacks/{callback}/claim", null, "CM AG"),
      row("POST", "/api/tenants/{T}/callbacks/{callback}/outcome", "{\"outcome\":\"cancelled\"}", "CM AG"),
      row("GET", "/api/dashboard", null, "HQ TA CM CM2 XTA"),
      row("GET", "/api/dashboard?center={T}/seoul", null, "HQ TA CM"),
      row("GET", "/api/cluster", null, "HQ"),
      row("GET", "/api/audit", null, "HQ TA XTA"),
      row("GET", "/api/audit?tenant={T}", null, "HQ TA"),
      row("GET", "/api/access-log", null, "HQ TA XTA"),
      row("GET", "/api/access-log?tenant={T}", null, "HQ TA"),
      row("GET", "/api/access-log/export?tenant={T}&from=2026-01-01&to=2026-01-02&reason=audit", null, "HQ TA"),
      row("GET", "/api/access-log/report?tenant={T}&month=2026-01", null, "HQ TA"),
      row("GET", "/api/tenants/{T}/webhooks", null, "HQ TA"),
      row("POST", "/api/tenants/{T}/webhooks", "{\"url\":\"http://192.0.2.1/hook\",\"events\":[\"message.created\"]}",
          "HQ TA"),
      row("GET", "/api/tenants/{T}/webhooks/{webhook}", null, "HQ TA"),
      row("PUT", "/api/tenants/{T}/webhooks/{webhook}", "{\"enabled\":false}", "HQ TA"),
      // A webhook of its own for each caller: the first allowed DELETE would leave nothing for the next.
      row("DELETE", "/api/tenants/{T}/webhooks/{newWebhook}", null, "HQ TA"),
      row("GET", "/api/tenants/{T}/channels", null, "HQ TA"),
      row("POST", "/api/tenants/{T}/channels", "{\"code\":\"ch{n}\",\"kind\":\"CUSTOM\",\"center\":\"seoul\","
          + "\"queue\":\"card\",\"outboundUrl\":\"http://192.0.2.1/out\"}", "HQ TA"),
      row("GET", "/api/tenants/{T}/channels/app", null, "HQ TA"),
      row("PUT", "/api/tenants/{T}/channels/app", "{\"enabled\":true}", "HQ TA"),
      row("GET", "/api/tenants/{T}/channel-kinds", null, "HQ TA CM CM2 AG"),
      // The widget's 'web' is refused (422) once the caller is past the scope check.
      row("POST", "/api/tenants/{T}/customers/links", "{\"channel\":\"web\",\"user\":\"u\",\"externalId\":\"x\"}",
          "HQ TA"),
      row("DELETE", "/api/tenants/{T}/customers/links", "{\"channel\":\"web\",\"user\":\"u\"}", "HQ TA"),
      // The widget's conversation is refused (409) once the caller is past the scope check.
      row("POST", "/api/conversations/{conversation}/customer-link-proposals", "{\"externalId\":\"x\"}",
          "HQ TA CM AG"),
      row("GET", "/api/conversations/{conversation}/customer-link-proposals", null, "HQ TA CM AG"),
      // The customer panel of the agent console; and the caller's own center, queues and day (everyone's own).
      row("GET", "/api/conversations/{conversation}/customer", null, "HQ TA CM AG"),
      row("PUT", "/api/conversations/{conversation}/customer", "{\"memo\":\"메모\"}", "HQ TA CM AG"),
      row("GET", "/api/me", null, "HQ TA CM CM2 AG XTA XAG"),
      row("GET", "/api/me/today", null, "HQ TA CM CM2 AG XTA XAG"),
      // Issue 19 item 4: one's own password and session; a wrong current password is refused 422, past the checks.
      row("GET", "/api/me/password", null, "HQ TA CM CM2 AG XTA XAG"),
      row("POST", "/api/me/password", "{\"current\":\"not-the-current-1\",\"new\":\"Fresh-pass-{n}\"}",
          "HQ TA CM CM2 AG XTA XAG"),
      row("GET", "/api/me/session", null, "HQ TA CM CM2 AG XTA XAG"),
      row("POST", "/api/token/renew", null, "HQ TA CM CM2 AG XTA XAG"),
      row("GET", "/api/security-policy", null, "HQ"),
      row("PUT", "/api/security-policy", "{\"reuseLimit\":3}", "HQ"),
      row("GET", "/api/tenants/{T}/security-policy", null, "HQ TA"),
      row("PUT", "/api/tenants/{T}/security-policy", "{\"reuseLimit\":3}", "HQ TA"),
      row("GET", "/api/tenants/{T}/customers/link-proposals", null, "HQ TA"),
      // The first allowed caller accepts; the others are told it is decided (409), as is every reject.
      row("POST", "/api/tenants/{T}/customers/link-proposals/{proposal}/accept", null, "HQ TA"),
      row("POST", "/api/tenants/{T}/customers/link-proposals/{proposal}/reject", "{\"reason\":\"r\"}", "HQ TA"),
      row("GET", "/api/tenants/{T}/scenarios", null, "HQ TA CM CM2"),
      row("POST", "/api/tenants/{T}/scenarios", SCENARIO, "HQ TA"),
      row("POST", "/api/tenants/{T}/scenarios/validate", SCENARIO, "HQ TA CM CM2"),
      row("GET", "/api/tenants/{T}/scenarios/{scenario}", null, "HQ TA CM CM2"),
      row("PUT", "/api/tenants/{T}/scenarios/{scenario}", SCENARIO, "HQ TA"),
      row("GET", "/api/tenants/{T}/scenarios/{scenario}/versions", null, "HQ TA CM CM2"),
      row("GET", "/api/tenants/{T}/scenarios/{scenario}/versions/1", null, "HQ TA CM CM2"),
      row("GET", "/api/tenants/{T}/scenario-entries", null, "HQ TA CM CM2"),
      row("PUT", "/api/tenants/{T}/scenario-entries", "{\"center\":\"seoul\",\"scenario\":{scenario}}", "HQ TA"),
      // No such center (422) once the caller is past the scope check: a real entry would be gone after the first.
      row("DELETE", "/api/tenants/{T}/scenario-entries", "{\"center\":\"nowhere\"}", "HQ TA"),
      row("GET", "/api/tenants/{T}/faq", null, "HQ TA CM CM2"),
      row("POST", "/api/tenants/{T}/faq", "{\"question\":\"질문 {n}\",\"answer\":\"답\"}", "HQ TA"),
      row("POST", "/api/tenants/{T}/faq/try", "{\"text\":\"카드 분실\"}", "HQ TA CM CM2"),
      row("GET", "/api/tenants/{T}/faq/{faq}", null, "HQ TA CM CM2"),
      row("PUT", "/api/tenants/{T}/faq/{faq}", "{\"enabled\":true}", "HQ TA"),
      // An entry of its own for each caller, as for webhooks.
      row("DELETE", "/api/tenants/{T}/faq/{newFaq}", null, "HQ TA"),
      row("DELETE", "/api/tenants/{T}/scenarios/{newScenario}", null, "HQ TA"),
      row("GET", "/api/tenants/{T}/bot-endpoints", null, "HQ TA"),
      row("POST", "/api/tenants/{T}/bot-endpoints", "{\"code\":\"b{n}\",\"name\":\"봇\",\"url\":\"http://192.0.2.1/bot\"}",
          "HQ TA"),
      row("GET", "/api/tenants/{T}/bot-endpoints/aicc", null, "HQ TA"),
      row("PUT", "/api/tenants/{T}/bot-endpoints/aicc", "{\"timeoutSeconds\":5}", "HQ TA"),
      row("POST", "/api/tenants/{T}/bot-endpoints/aicc/rotate", null, "HQ TA"),
      row("GET", "/api/tenants/{T}/centers/seoul/widget", null, "HQ TA CM"),
      row("PUT", "/api/tenants/{T}/centers/seoul/widget", "{\"brandColor\":\"#1f5fbf\"}", "HQ TA CM"),
      // Not a picture (415) once the caller is past the scope check.
      row("PUT", "/api/tenants/{T}/centers/seoul/widget/logo", "hello", "HQ TA CM"),
      row("DELETE", "/api/tenants/{T}/centers/seoul/widget/logo", null, "HQ TA CM"),
      row("GET", "/api/conversations/{conversation}/pre-chat", null, "HQ TA CM AG"),
      row("GET", "/api/tenants/{T}/roles", null, "HQ TA"),
      row("POST", "/api/tenants/{T}/roles", "{\"name\":\"역할 {n}\",\"base\":\"AGENT\",\"permissions\":"
          + "[\"transcripts.read\"]}", "HQ TA"),
      row("GET", "/api/tenants/{T}/roles/{role}", null, "HQ TA"),
      row("PUT", "/api/tenants/{T}/roles/{role}", "{\"permissions\":[\"transcripts.read\",\"stats.read\"]}", "HQ TA"),
      // A role of its own for each caller, as for webhooks.
      row("DELETE", "/api/tenants/{T}/roles/{newRole}", null, "HQ TA"),
      // Company sign-in settings (LDAP/AD, OpenID Connect): HQ's own, and a tenant's; {} turns both off.
      row("GET", "/api/company-sign-in", null, "HQ"),
      row("PUT", "/api/company-sign-in", "{}", "HQ"),
      row("GET", "/api/tenants/{T}/company-sign-in", null, "HQ TA"),
      row("PUT", "/api/tenants/{T}/company-sign-in", "{}", "HQ TA"));

  /**
   * The reviewer's allowed cells: reading transcripts (search and its export, a transcript, its files) and what
   * every user of a center reads to work (the tenant's centers, categories, away reasons, canned responses, channel
   * kinds, their own day, password and session) and the customer panel; no management, statistics, dashboard,
   * unmask, callbacks or editing a customer. Link proposals of a conversation are checked by scope only, as they
   * were for every center user.
   */
  private static final Set<String> REVIEWER = Set.of(
      "GET /api/tenants/{T}/centers", "GET /api/tenants/{T}/centers/seoul",
      "GET /api/tenants/{T}/categories", "GET /api/tenants/{T}/categories/{category}",
      "GET /api/tenants/{T}/away-reasons", "GET /api/tenants/{T}/canned", "GET /api/tenants/{T}/canned/{canned}",
      "GET /api/tenants/{T}/conversations", "GET /api/conversations/{conversation}",
      "GET /api/attachments/{attachment}", "GET /api/attachments/{attachment}/preview",
      "GET /api/tenants/{T}/channel-kinds",
      "POST /api/conversations/{conversation}/customer-link-proposals",
      "GET /api/conversations/{conversation}/customer-link-proposals",
      "GET /api/conversations/{conversation}/customer",
      "GET /api/me", "GET /api/me/today", "GET /api/conversations/{conversation}/pre-chat",
      "GET /api/tenants/{T}/conversations?format=csv&reason=check",
      "GET /api/me/password", "POST /api/me/password", "GET /api/me/session", "POST /api/token/renew");

  /** The supervisor without unmask is a Seoul center manager in every cell but these. */
  private static final Set<String> SUPERVISOR_UNLIKE_MANAGER = Set.of("POST /api/conversations/{conversation}/unmask");

  private static boolean allowed(Row row, String caller) {
    String cell = row.method() + " " + row.path();
    return switch (caller) {
      case "QR" -> REVIEWER.contains(cell);
      case "SV" -> row.allowed().contains("CM") != SUPERVISOR_UNLIKE_MANAGER.contains(cell);
      default -> row.allowed().contains(caller);
    };
  }


  @Test
  void everyCellIsAllowedOrDeniedAsTheScopeRulesSay() {
    Map<String, String> ids = new LinkedHashMap<>();
    Map<String, String> tokens = setUp(ids);
    List<String> wrong = new ArrayList<>();
    for (Row row : ROWS) {
      for (String caller : CALLERS) {
        String path = fill(row.path(), ids).replace("{newWebhook}", row.path().contains("{newWebhook}")
            ? webhook(ids.get("T"), tokens.get("HQ")) : "").replace("{newFaq}", row.path().contains("{newFaq}")
            ? faq(ids.get("T"), tokens.get("HQ")) : "").replace("{newScenario}",
            row.path().contains("{newScenario}") ? scenario(ids.get("T"), tokens.get("HQ")) : "").replace("{newRole}",
            row.path().contains("{newRole}") ? role(ids.get("T"), tokens.get("HQ")) : "");
        String body = row.body() == null ? null : fill(row.body(), ids);
        Http.Download r = server.http().exchange(row.method(), path, tokens.get(caller),
            row.path().contains("/attachments?") ? "text/plain" : "application/json",
            body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        boolean allowed = r.status() != 401 && r.status() != 403 && r.status() != 404;
        if (allowed != allowed(row, caller)) {
          wrong.add(row.method() + " " + row.path() + " as " + caller + ": " + r.status() + " "
              + new String(r.body(), StandardCharsets.UTF_8));
        }
        if (caller.startsWith("X") && allowed && names(r.json(), ids.get("T"))) {
          wrong.add(row.method() + " " + row.path() + " as " + caller + " shows tenant A: " + r.json());
        }
      }
    }
    assertEquals(List.of(), wrong, "cells that disagree with the scope rules");
  }

  @Test
  void theMatrixCoversEveryRouteThatNeedsACaller() {
    Set<String> covered = ROWS.stream().map(r -> r.method() + " " + r.path().replaceAll("\\?.*", "")
        .replace("{T}", "{tenant}").replaceAll("/centers/(seoul|busan)", "/centers/{center}")
        .replace("/queues/card", "/queues/{queue}").replace("/away-reasons/break", "/away-reasons/{code}").replace("/users/dummy", "/users/{username}")
        .replace("/canned/{canned}", "/canned/{id}").replace("{conversation}", "{id}")
        .replace("{attachment}", "{id}").replace("{newWebhook}", "{webhook}")
        .replace("/channels/app", "/channels/{channel}").replace("{scenario}", "{id}")
        .replace("/versions/1", "/versions/{version}").replace("{faq}", "{id}").replace("{newFaq}", "{id}")
        .replace("{newScenario}", "{id}").replace("{role}", "{id}").replace("{newRole}", "{id}").replace("{callback}", "{id}").replace("/bot-endpoints/aicc", "/bot-endpoints/{endpoint}"))
        .collect(Collectors.toSet());
    List<String> missing = server.routeTable().entrySet().stream()
        .filter(e -> !e.getValue().equals("ANYONE") && !e.getKey().equals("POST /api/logout"))
        .map(Map.Entry::getKey).filter(route -> !covered.contains(route)).toList();
    assertEquals(List.of(), missing, "routes the matrix does not call");
  }

  private static String scenario(String tenant, String hq) {
    return server.http().expect(201, "POST", "/api/tenants/" + tenant + "/scenarios", hq, SCENARIO).path("id")
        .asText();
  }

  private static String role(String tenant, String hq) {
    return server.http().expect(201, "POST", "/api/tenants/" + tenant + "/roles", hq, of("name",
        "지울 역할 " + fresh.incrementAndGet(), "base", "AGENT", "permissions", List.of("transcripts.read")))
        .path("id").asText();
  }

  private static String webhook(String tenant, String hq) {
    return server.http().expect(201, "POST", "/api/tenants/" + tenant + "/webhooks", hq, of("url",
        "http://192.0.2.1/hook", "events", List.of("message.created"))).path("id").asText();
  }

  private static String faq(String tenant, String hq) {
    return server.http().expect(201, "POST", "/api/tenants/" + tenant + "/faq", hq, of("question", "지울 질문",
        "answer", "답")).path("id").asText();
  }

  private static boolean names(JsonNode node, String tenantCode) {
    if (node.isTextual()) {
      return node.asText().equals(tenantCode);
    }
    for (JsonNode child : node) {
      if (names(child, tenantCode)) {
        return true;
      }
    }
    return false;
  }

  private static String fill(String template, Map<String, String> ids) {
    String out = template.replace("{n}", String.valueOf(fresh.incrementAndGet()));
    for (Map.Entry<String, String> e : ids.entrySet()) {
      out = out.replace("{" + e.getKey() + "}", e.getValue());
    }
    return out;
  }

  /**
   * Tenant A (Seoul with a chat, a file and a callback request, Busan closed with an inquiry) and tenant B; a token
   * per caller.
   */
  private static Map<String, String> setUp(Map<String, String> ids) {
    Http http = server.http();
    TestServer.Setup a = server.setUp();
    TestServer.Setup b = server.setUp();
    String t = "/api/tenants/" + a.tenant();
    ids.put("T", a.tenant());
    ids.put("webhook", webhook(a.tenant(), a.adminToken()));
    String channelSecret = http.expect(201, "POST", t + "/channels", a.adminToken(), of("code", "app", "kind",
        "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl", "http://192.0.2.1/out")).path("secret").asText();
    http.expect(201, "POST", t + "/centers", a.adminToken(), of("code", "busan", "name", "부산"));
    http.expect(201, "POST", t + "/centers/busan/queues", a.adminToken(), of("code", "loan", "name", "대출",
        "policy", "LEAST_BUSY"));
    http.expect(200, "PUT", t + "/centers/busan/hours", a.adminToken(), of("timezone", "Asia/Seoul",
        "weekly", Map.of(), "outOfHours", "OFFLINE_FORM"));
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("HQ", a.adminToken());
    tokens.put("TA", user(a, "chief", "TENANT_ADMIN", null));
    tokens.put("CM", user(a, "boss", "CENTER_MANAGER", "seoul"));
    tokens.put("CM2", user(a, "busanboss", "CENTER_MANAGER", "busan"));
    tokens.put("AG", a.agentToken());
    user(a, "dummy", "AGENT", "seoul");
    tokens.put("XTA", user(b, "chief", "TENANT_ADMIN", null));
    tokens.put("XAG", b.agentToken());
    tokens.put("NONE", null);
    ids.put("role", role(a.tenant(), a.adminToken()));
    String reviewer = http.expect(201, "POST", t + "/roles", a.adminToken(), of("name", "품질 평가", "base",
        "CENTER_MANAGER", "centers", List.of("seoul", "busan"), "permissions", List.of("transcripts.read")))
        .path("id").asText();
    String supervisor = http.expect(201, "POST", t + "/roles", a.adminToken(), of("name", "수퍼바이저", "base",
        "CENTER_MANAGER", "permissions", List.of("manage.centers", "manage.users", "dashboard.read", "stats.read",
            "stats.export", "conversations.supervise", "transcripts.read", "callbacks.handle"))).path("id").asText();
    tokens.put("QR", custom(a, "reviewer", reviewer));
    tokens.put("SV", custom(a, "supervisor", supervisor));
    ids.put("category", http.expect(201, "POST", t + "/categories", a.adminToken(), of("name", "카드"))
        .path("id").asText());
    ids.put("scenario", http.expect(201, "POST", t + "/scenarios", a.adminToken(), SCENARIO).path("id").asText());
    ids.put("faq", faq(a.tenant(), a.adminToken()));
    http.expect(201, "POST", t + "/bot-endpoints", a.adminToken(), of("code", "aicc", "name", "상담 AI", "url",
        "http://192.0.2.1/bot"));
    ids.put("canned", http.expect(201, "POST", t + "/canned", a.adminToken(), of("title", "인사", "shortcut", "hi",
        "body", "안녕하세요")).path("id").asText());
    // Seoul asks a pre-chat form, so that the conversation below has answers to read.
    http.expect(200, "PUT", t + "/centers/seoul/widget", a.adminToken(), of("form", Map.of("enabled", true,
        "name", "OPTIONAL")));
    try (WsClient agent = server.agent(); WsClient customer = server.customer();
        WsClient late = server.customer()) {
      agent.send(of("type", "hello", "token", a.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      String visitor = customer.send(of("type", "hello", "tenant", a.tenant(), "center", "seoul", "name", "홍길동"))
          .next("welcome").path("visitor").asText();
      JsonNode conversation = customer.send(of("type", "start", "queue", "card", "text", "안녕하세요", "form",
          Map.of("name", "홍길동"))).next("started")
          .path("conversation");
      agent.next("assigned");
      ids.put("conversation", conversation.path("id").asText());
      long fromChannel = inbound(a.tenant(), channelSecret);
      agent.until("assigned");
      ids.put("proposal", http.expect(201, "POST", "/api/conversations/" + fromChannel + "/customer-link-proposals",
          a.agentToken(), of("externalId", "member-1")).path("id").asText());
      ids.put("customer", conversation.path("customer").path("id").asText());
      ids.put("hold", http.expect(201, "POST", t + "/legal-holds", a.adminToken(), of("conversation",
          conversation.path("id").asLong(), "reason", "matrix")).path("id").asText());
      ids.put("attachment", http.send("POST", "/api/conversations/" + ids.get("conversation")
          + "/attachments?name=" + URLEncoder.encode("사진.png", StandardCharsets.UTF_8), visitor, "image/png",
          tinyPng()).body()
          .path("attachment").path("id").asText());
      String slot = customer.send(of("type", "callbackSlots")).until("callbackSlots").path("slots").get(0).asText();
      ids.put("callback", customer.send(of("type", "callback", "queue", "card", "slot", slot, "phone", "010-3333-4444",
          "clientId", "matrix")).until("callbackStored").path("callback").asText());
      late.send(of("type", "hello", "tenant", a.tenant(), "center", "busan")).next("welcome");
      ids.put("inquiry", late.send(of("type", "start", "queue", "loan", "offline", true, "text", "연락 주세요",
          "contact", "010-1111-2222")).next("inquiryStored").path("inquiry").asText());
    }
    return tokens;
  }

  /** A message on tenant {@code tenant}'s channel {@code app}; returns its conversation. */
  private static long inbound(String tenant, String secret) {
    byte[] bytes = of("user", "kakao-1", "name", "채널고객", "mid", "m-1", "text", "카톡 문의").toString()
        .getBytes(StandardCharsets.UTF_8);
    Http.Response r = server.http().sendSigned("POST", "/channels/" + tenant + "/app/inbound", Map.of(
        InboundSignature.HEADER, InboundSignature.header(secret, java.time.Instant.now().getEpochSecond(), bytes)),
        bytes);
    assertEquals(200, r.status(), r.body().toString());
    return r.body().path("conversation").asLong();
  }

  private static byte[] tinyPng() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A Seoul user holding the custom role {@code roleId}. */
  private static String custom(TestServer.Setup s, String username, String roleId) {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username",
        username, "password", TestServer.STAFF_PASSWORD, "name", username, "customRole", Long.parseLong(roleId),
        "center", "seoul"));
    return server.http().login(s.tenant(), username, TestServer.STAFF_PASSWORD);
  }

  private static String user(TestServer.Setup s, String username, String role, String center) {
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), center == null
        ? of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", role)
        : of("username", username, "password", TestServer.STAFF_PASSWORD, "name", username, "role", role, "center", center));
    return server.http().login(s.tenant(), username, TestServer.STAFF_PASSWORD);
  }
}
