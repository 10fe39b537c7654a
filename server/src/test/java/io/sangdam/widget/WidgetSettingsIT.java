package io.sangdam.widget;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Visitors;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A center's widget settings over REST, with the bad input an admin or a hostile page may send, and the
 * pre-chat form as {@code start} meets it: refused answers open nothing and keep nothing.
 */
class WidgetSettingsIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final String CONSENT = "수집 항목: 이름, 연락처\n이용 목적: 상담 회신\n보유 기간: 3년";

  private static String admin(TestServer.Setup s) {
    return "/api/tenants/" + s.tenant() + "/centers/seoul/widget";
  }

  private static Map<String, Object> form(boolean consent, String text, List<String> types) {
    Map<String, Object> form = new java.util.HashMap<>(Map.of("enabled", true, "name", "REQUIRED", "contact",
        "OPTIONAL", "inquiryTypes", types, "consentRequired", consent));
    form.put("consentText", text);
    return form;
  }

  private static JsonNode settings(String title, String color, Map<String, Object> form) {
    return of("title", title, "brandColor", color, "welcome", "안녕하세요! 무엇을 도와드릴까요?", "allowTranscript", true,
        "form", form);
  }

  @Test
  void anAdminSetsTheWidgetAndTheWidgetLoadsItWithoutSigningIn() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    JsonNode defaults = http.expect(200, "GET", admin(s), s.adminToken(), null);
    assertEquals("#1f5fbf", defaults.path("brandColor").asText());
    assertFalse(defaults.path("form").path("enabled").asBoolean());

    JsonNode saved = http.expect(200, "PUT", admin(s), s.adminToken(),
        settings("카드 상담", "#0B5E3A", form(true, CONSENT, List.of("결제", "분실"))));
    assertEquals("#0b5e3a", saved.path("brandColor").asText(), "kept in one spelling");
    assertEquals(1, saved.path("form").path("consentVersion").asInt());

    JsonNode shown = http.expect(200, "GET", "/api/widget/" + s.tenant() + "/seoul", null, null);
    assertEquals("카드 상담", shown.path("title").asText());
    assertEquals(List.of("결제", "분실"), List.of(shown.path("form").path("inquiryTypes").get(0).asText(),
        shown.path("form").path("inquiryTypes").get(1).asText()));
    assertEquals(CONSENT, shown.path("form").path("consentText").asText());

    // The same text again keeps its version; another text is a new version.
    assertEquals(1, http.expect(200, "PUT", admin(s), s.adminToken(), settings("카드 상담", "#0b5e3a",
        form(true, CONSENT, List.of("결제")))).path("form").path("consentVersion").asInt());
    assertEquals(2, http.expect(200, "PUT", admin(s), s.adminToken(), settings("카드 상담", "#0b5e3a",
        form(true, CONSENT + "\n동의하지 않을 수 있습니다.", List.of("결제")))).path("form").path("consentVersion").asInt());
  }

  @Test
  void badSettingsAreRefusedWithTheFieldNamedAndNothingChanges() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    http.expect(200, "PUT", admin(s), s.adminToken(), settings("원래 제목", "#1f5fbf", form(false, null, List.of())));
    Map<String, JsonNode> bad = new java.util.LinkedHashMap<>();
    bad.put("brandColor", settings("새 제목", "yellow", form(false, null, List.of())));
    bad.put("brandColor is too light", settings("새 제목", "#ffff00", form(false, null, List.of())));
    bad.put("title", settings("x".repeat(41), "#1f5fbf", form(false, null, List.of())));
    bad.put("title with a line break", settings("첫 줄\n둘째 줄", "#1f5fbf", form(false, null, List.of())));
    bad.put("logoUrl", of("brandColor", "#1f5fbf", "logoUrl", "javascript:alert(1)"));
    bad.put("logoUrl over http", of("brandColor", "#1f5fbf", "logoUrl", "http://cdn.example.com/logo.png"));
    bad.put("logoUrl with a password", of("brandColor", "#1f5fbf", "logoUrl", "https://u:p@cdn.example.com/l.png"));
    bad.put("welcome", of("brandColor", "#1f5fbf", "welcome", "가".repeat(501)));
    bad.put("form.consentText", settings("새 제목", "#1f5fbf", form(true, null, List.of())));
    bad.put("form.inquiryTypes twice", settings("새 제목", "#1f5fbf", form(false, null, List.of("결제", "결제"))));
    bad.put("inquiryTypes", settings("새 제목", "#1f5fbf", form(false, null,
        java.util.stream.IntStream.range(0, 21).mapToObj(i -> "유형" + i).toList())));
    bad.put("form.name", of("brandColor", "#1f5fbf", "form", Map.of("enabled", true, "name", "MAYBE")));
    bad.put("form", of("brandColor", "#1f5fbf", "form", "yes"));
    for (Map.Entry<String, JsonNode> e : bad.entrySet()) {
      Http.Response r = http.send("PUT", admin(s), s.adminToken(), e.getValue());
      assertEquals(422, r.status(), e.getKey() + ": " + r.body());
      String field = e.getKey().split(" ")[0];
      assertTrue(r.body().path("error").path("message").asText().contains("'" + field + "'"),
          e.getKey() + " names its field: " + r.body());
    }
    assertEquals(400, http.send("PUT", admin(s), s.adminToken(), "{not json").status());
    assertEquals("원래 제목", http.expect(200, "GET", admin(s), s.adminToken(), null).path("title").asText(),
        "nothing refused was kept");
  }

  @Test
  void aLogoIsAPictureCheckedByItsBytesAndServedToTheWidget() throws IOException {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    byte[] png = png();
    Http.Response svg = http.send("PUT", admin(s) + "/logo", s.adminToken(), "image/png",
        "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".getBytes(StandardCharsets.UTF_8));
    assertEquals(415, svg.status(), "a picture by its bytes, not by its claimed type");
    assertEquals(413, http.send("PUT", admin(s) + "/logo", s.adminToken(), "image/png",
        new byte[Widgets.MAX_LOGO_BYTES + 1]).status());
    assertEquals(422, http.send("PUT", admin(s) + "/logo", s.adminToken(), "image/png", new byte[0]).status());
    assertEquals(404, http.download("/api/widget/" + s.tenant() + "/seoul/logo", null).status(), "none kept");

    assertTrue(http.send("PUT", admin(s) + "/logo", s.adminToken(), "image/png", png).body().path("hasLogo")
        .asBoolean());
    Http.Download logo = http.download("/api/widget/" + s.tenant() + "/seoul/logo", null);
    assertEquals(200, logo.status());
    assertEquals("image/png", logo.header("Content-Type"));
    assertArrayEquals(png, logo.body());
    assertEquals("/api/widget/" + s.tenant() + "/seoul/logo", http.expect(200, "GET", "/api/widget/" + s.tenant()
        + "/seoul", null, null).path("logo").asText());
    assertFalse(http.expect(200, "DELETE", admin(s) + "/logo", s.adminToken(), null).path("hasLogo").asBoolean());
    assertEquals(404, http.download("/api/widget/" + s.tenant() + "/seoul/logo", null).status());
  }

  @Test
  void theWidgetOfAnUnknownOrDisabledCenterIsNotFoundAndNamesNothing() {
    TestServer.Setup s = server.setUp();
    Http http = server.http();
    for (String path : List.of("/api/widget/" + s.tenant() + "/nowhere", "/api/widget/nobody/seoul",
        "/api/widget/%3Cscript%3E/seoul", "/api/widget/" + s.tenant() + "/" + "a".repeat(200))) {
      Http.Response r = http.send("GET", path, null, null);
      assertEquals(404, r.status(), path);
      assertFalse(r.body().toString().contains("script"), "nothing of the path is echoed: " + r.body());
    }
    http.expect(200, "PUT", "/api/tenants/" + s.tenant() + "/centers/seoul", s.adminToken(), of("enabled", false));
    assertEquals(404, http.send("GET", "/api/widget/" + s.tenant() + "/seoul", null, null).status());
  }

  @Test
  void badPreChatAnswersOpenNoConversationAndGoodOnesAreKeptWithTheConsent() {
    TestServer.Setup s = server.setUp();
    server.http().expect(200, "PUT", admin(s), s.adminToken(), settings("상담", "#1f5fbf",
        form(true, CONSENT, List.of("결제", "분실"))));
    Map<String, Object> good = Map.of("name", "홍길동", "contact", "010-1234-5678", "inquiryType", "분실",
        "consent", true, "consentVersion", 1);
    Map<String, Map<String, Object>> bad = new java.util.LinkedHashMap<>();
    bad.put("form.consent", without(good, "consent"));
    bad.put("form.consentVersion", with(good, "consentVersion", 7));
    bad.put("form.name", without(good, "name"));
    bad.put("form.name too long", with(good, "name", "가".repeat(51)));
    bad.put("form.name hostile", with(good, "name", "홍\u202e길동"));
    bad.put("form.contact", with(good, "contact", "<script>alert(1)</script>"));
    bad.put("form.inquiryType", with(good, "inquiryType", "대출"));
    try (WsClient customer = server.customer()) {
      String visitor = customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome")
          .path("visitor").asText();
      JsonNode none = customer.send(of("type", "start", "queue", "card")).next("error");
      assertEquals("missing_field", none.path("code").asText());
      for (Map.Entry<String, Map<String, Object>> e : bad.entrySet()) {
        JsonNode error = customer.send(of("type", "start", "queue", "card", "form", e.getValue())).next("error");
        assertTrue(error.path("message").asText().contains("'" + e.getKey().split(" ")[0] + "'"),
            e.getKey() + ": " + error);
      }
      try (WsClient sameCustomer = server.customer()) {
        JsonNode again = sameCustomer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "visitor",
            visitor)).next("welcome");
        assertEquals(visitor, again.path("visitor").asText());
        assertEquals(0, again.path("open").size(), "no refused start opened a conversation");
      }

      long id = customer.send(of("type", "start", "queue", "card", "form", good)).next("started")
          .path("conversation").path("id").asLong();
      server.awaitEventsDelivered();
      // Kept right after the start is answered.
      JsonNode kept = Eventually.eventually("the pre-chat answers kept", () -> server.http().send("GET",
          "/api/conversations/" + id + "/pre-chat", s.adminToken(), null), r -> r.status() == 200).body();
      assertEquals("홍*동", kept.path("name").asText());
      assertEquals("010-****-5678", kept.path("contact").asText());
      assertEquals("분실", kept.path("inquiryType").asText());
      assertEquals(1, kept.path("consent").path("version").asInt());
      assertEquals(CONSENT, kept.path("consent").path("text").asText());
      assertTrue(kept.path("consent").path("agreedAt").isTextual());
      JsonNode read = server.http().expect(200, "GET", "/api/access-log?tenant=" + s.tenant() + "&action=pre-chat",
          s.adminToken(), null);
      assertTrue(read.toString().contains("conversation " + id), "the admin's read is on the access records: " + read);
    }
  }

  @Test
  void aVerifiedCustomerIsNotAskedTheForm() {
    TestServer.Setup s = server.setUp();
    server.http().expect(200, "PUT", admin(s), s.adminToken(), settings("상담", "#1f5fbf",
        form(true, CONSENT, List.of())));
    String secret = server.http().expect(200, "POST", "/api/tenants/" + s.tenant() + "/identity-secret",
        s.adminToken(), null).path("secret").asText();
    try (WsClient customer = server.customer()) {
      JsonNode welcome = customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul", "externalId",
          "member-9", "signature", HexFormat.of().formatHex(Visitors.hmac(secret, "member-9")))).next("welcome");
      assertEquals("verified", welcome.path("identity").asText());
      JsonNode refused = customer.send(of("type", "start", "queue", "card", "form", Map.of("name", "홍길동")))
          .next("error");
      assertEquals("invalid_field", refused.path("code").asText());
      long id = customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
          .asLong();
      assertEquals(404, server.http().send("GET", "/api/conversations/" + id + "/pre-chat", s.adminToken(), null)
          .status(), "no form, nothing kept");
    }
  }

  private static Map<String, Object> without(Map<String, Object> m, String key) {
    Map<String, Object> out = new java.util.HashMap<>(m);
    out.remove(key);
    return out;
  }

  private static Map<String, Object> with(Map<String, Object> m, String key, Object value) {
    Map<String, Object> out = new java.util.HashMap<>(m);
    out.put(key, value);
    return out;
  }

  private static byte[] png() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB), "png", out);
    return out.toByteArray();
  }
}
