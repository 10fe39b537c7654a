package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Visitors;
import io.sangdam.testing.Accessibility;
import io.sangdam.testing.Browser;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The widget as a center set it up (title, colour, logo, welcome, transcript) with its pre-chat form and consent,
 * at 390x844 in Korean and English, checked with axe-core; the settings screen managers change it with; and the
 * customer-facing faults seen before: the server's English in an error, and an emoji launcher.
 */
class PreChatBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final String CONSENT = """
      1. 수집 항목: 이름, 연락처
      2. 이용 목적: 상담 요청에 대한 회신
      3. 보유 기간: 상담 종료 후 3년
      동의하지 않으실 수 있으며, 이 경우 상담이 제한될 수 있습니다.""";

  private static String widget(TestServer.Setup s, String more) {
    return "http://127.0.0.1:" + server.port() + "/widget/?tenant=" + s.tenant() + "&center=seoul" + more;
  }

  private static void setUpWidget(TestServer.Setup s) throws IOException {
    String base = "/api/tenants/" + s.tenant() + "/centers/seoul/widget";
    server.http().expect(200, "PUT", base, s.adminToken(), of("title", "한빛카드 고객센터", "brandColor", "#0b5e3a",
        "welcome", "안녕하세요, 한빛카드입니다. 평일 09시~18시에 상담사가 답변드립니다.", "allowTranscript", true,
        "form", Map.of("enabled", true, "name", "REQUIRED", "contact", "OPTIONAL", "inquiryTypes",
            List.of("결제·승인", "분실·도난", "한도", "기타"), "consentRequired", true, "consentText", CONSENT)));
    assertEquals(200, server.http().send("PUT", base + "/logo", s.adminToken(), "image/png", logo()).status());
  }

  @Test
  void aCustomerFillsTheCentersFormAndChatsInItsColours() throws IOException {
    TestServer.Setup s = server.setUp();
    setUpWidget(s);
    try (Browser browser = Browser.exact(390, 844); WsClient agent = server.agent()) {
      browser.go(widget(s, ""));
      browser.showing("#title", "한빛카드 고객센터");
      browser.showing("#welcome", "평일 09시~18시");
      browser.until("return document.getElementById('logo').complete"
          + " && document.getElementById('logo').naturalWidth > 0");
      assertEquals("rgb(11, 94, 58)", browser.script(
          "return getComputedStyle(document.querySelector('header')).backgroundColor"));
      browser.visible("#prechat #pc-name");
      browser.showing("#prechat .consent-text", "보유 기간");
      assertEquals(List.of(), Accessibility.seriousFaults(browser), "the form, by axe-core");
      browser.screenshot("widget-prechat-1-form-ko");

      // Nothing filled in: each required field says what it needs, and the first takes the focus.
      browser.visible("#start").click();
      browser.showing("#pc-name-error", "이름을 입력해 주세요");
      browser.showing("#pc-type-error", "문의 종류를 선택해 주세요");
      browser.showing("#pc-consent-error", "개인정보 수집·이용에 동의해 주세요");
      assertEquals("pc-name", browser.script("return document.activeElement.id"));
      browser.visible("#pc-name").sendKeys("홍길동");
      browser.visible("#pc-contact").sendKeys("전화 주세요");
      browser.choose("#pc-type", "분실·도난");
      browser.visible("#pc-consent").click();
      browser.visible("#start").click();
      browser.showing("#pc-contact-error", "휴대폰 번호");
      assertTrue(browser.visible("#choose").isDisplayed(), "nothing was sent");
      assertEquals(List.of(), Accessibility.seriousFaults(browser), "the form with its errors, by axe-core");
      browser.screenshot("widget-prechat-2-errors-ko");
      browser.visible("#pc-contact").clear();
      browser.visible("#pc-contact").sendKeys("010-1234-5678");
      browser.visible("#start").click();

      // Nobody serves the queue yet: the customer waits, told their place in words.
      browser.showing("#waiting", "대기 1번째");
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      long conversation = agent.until("assigned").path("conversation").path("id").asLong();
      JsonNode answers = server.http().expect(200, "GET", "/api/conversations/" + conversation + "/pre-chat",
          s.agentToken(), null);
      assertEquals("홍*동", answers.path("name").asText(), "the agent sees the name masked");
      assertEquals("분실·도난", answers.path("inquiryType").asText());
      assertEquals(CONSENT.strip(), answers.path("consent").path("text").asText());

      agent.send(of("type", "send", "conversation", conversation, "cmid", "a1", "text", "분실 신고 도와드리겠습니다."))
          .until("ack");
      browser.showing("#messages li.agent", "분실 신고");
      assertTrue(browser.visible("#messages li.agent time").getText().matches(".*\\d{1,2}:\\d{2}.*"),
          "a message shows when it was said");
      agent.send(of("type", "typing", "conversation", conversation));
      browser.showing("#typing", "입력 중");
      assertTrue(browser.visible("#chat .transcript .save").isDisplayed(), "the center allows the transcript");
      browser.showing("#chat .transcript", "대화 저장");
      assertEquals(List.of(), Accessibility.seriousFaults(browser), "the chat, by axe-core");
      browser.screenshot("widget-prechat-3-chat-ko");
    }
  }

  @Test
  void theAgentSeesWhatTheCustomerGaveMasked() throws IOException {
    TestServer.Setup s = server.setUp();
    setUpWidget(s);
    try (Browser browser = Browser.exact(1280, 800); WsClient customer = server.customer()) {
      browser.logIn("http://127.0.0.1:" + server.port() + "/agent/", s.tenant(), "kim", "agent-pass-1");
      browser.visible("#console");
      browser.choose("#status", "ONLINE");
      customer.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      customer.send(of("type", "start", "queue", "card", "text", "카드를 잃어버렸어요", "form", Map.of("name", "홍길동",
          "contact", "010-1234-5678", "inquiryType", "분실·도난", "consent", true, "consentVersion", 1)))
          .next("started");
      browser.showing("#pre-chat", "홍*동");
      browser.showing("#pre-chat", "010-****-5678");
      browser.showing("#pre-chat", "분실·도난");
      browser.showing("#pre-chat", "안내문 버전 1");
      assertFalse(browser.visible("#pre-chat").getText().contains("홍길동"), "the name is masked");
      browser.screenshot("agent-prechat-ko");
    }
  }

  @Test
  void theFormAndItsErrorsSpeakEnglish() throws IOException {
    TestServer.Setup s = server.setUp();
    setUpWidget(s);
    try (Browser browser = Browser.exact(390, 844)) {
      browser.go(widget(s, "&lang=en"));
      browser.showing("label[for=pc-name]", "Name (required)");
      browser.showing("#pc-consent-title", "Consent to the collection and use of personal data");
      browser.visible("#pc-name").sendKeys("Hong Gildong");
      browser.visible("#start").click();
      browser.showing("#pc-consent-error", "Please agree");
      assertEquals(List.of(), Accessibility.seriousFaults(browser));
      browser.screenshot("widget-prechat-4-form-en");
      // The form is kept across a change of language.
      browser.visible("#language").click();
      browser.showing("label[for=pc-name]", "이름 (필수)");
      assertEquals("Hong Gildong", browser.visible("#pc-name").getAttribute("value"));
    }
  }

  @Test
  void aVerifiedCustomerStartsWithoutTheForm() throws IOException {
    TestServer.Setup s = server.setUp();
    setUpWidget(s);
    String secret = server.http().expect(200, "POST", "/api/tenants/" + s.tenant() + "/identity-secret",
        s.adminToken(), null).path("secret").asText();
    try (Browser browser = Browser.exact(390, 844)) {
      browser.go(widget(s, "&externalId=member-7&signature="
          + HexFormat.of().formatHex(Visitors.hmac(secret, "member-7"))));
      browser.visible("#start");
      browser.until("return document.getElementById('prechat').hidden");
      browser.visible("#start").click();
      browser.showing("#waiting", "대기 1번째");
    }
  }

  @Test
  void aCustomerIsToldSentencesNeverTheServersEnglish() {
    TestServer.Setup s = server.setUp();
    try (Browser browser = Browser.exact(390, 844)) {
      browser.go("http://127.0.0.1:" + server.port() + "/widget/?tenant=Not%20A%20Code&center=seoul");
      browser.showing("#status", "상담 창구 주소가 올바르지 않습니다");
      String shown = browser.visible("body").getText();
      assertFalse(shown.contains("field") || shown.contains("must") || shown.contains("[a-z0-9]"), shown);
      browser.screenshot("widget-prechat-5-bad-address-ko");
      browser.go(widget(s, "&lang=en").replace(s.tenant(), "Not%20A%20Code"));
      browser.showing("#status", "This chat link is not valid");
    }
  }

  @Test
  void theLauncherDrawsItsIconWithoutAnEmojiFont() {
    try (Browser browser = Browser.exact(390, 844)) {
      browser.go("http://127.0.0.1:" + server.port() + "/widget/demo.html");
      browser.visible("body > button svg path");
      String label = browser.visible("body > button").getText();
      assertEquals("상담하기", label, "no emoji, which a server without emoji fonts draws as a box");
    }
  }

  @Test
  void aManagerSetsTheWidgetOnTheSettingsScreen() {
    TestServer.Setup s = server.setUp();
    server.http().expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "boss",
        "password", TestServer.STAFF_PASSWORD, "name", "센터장", "role", "CENTER_MANAGER", "center", "seoul"));
    for (String lang : List.of("ko", "en")) {
      try (Browser browser = Browser.exact(1280, 800)) {
        browser.go("http://127.0.0.1:" + server.port() + "/admin/");
        browser.script("localStorage.setItem('sangdam.lang', arguments[0])", lang);
        browser.logIn("http://127.0.0.1:" + server.port() + "/admin/", s.tenant(), "boss", TestServer.STAFF_PASSWORD);
        browser.visible("#nav button[data-view=widget]").click();
        // The center's colour as stored: the default first, then what the Korean round saved.
        browser.until("return /^#[0-9a-f]{6}$/.test(document.getElementById('widget-color').value)");
        browser.visible("#widget-title").clear();
        browser.visible("#widget-title").sendKeys(lang.equals("ko") ? "한빛카드 상담" : "Hanbit Card");
        browser.visible("#widget-color").clear();
        browser.visible("#widget-color").sendKeys("#ffcc00");
        browser.showing("#widget-contrast", lang.equals("ko") ? "4.5:1 이상이어야" : "at least 4.5:1");
        browser.visible("#widget-form button[type=submit]").click();
        browser.showing("#widget-error", lang.equals("ko") ? "너무 밝아" : "too light");
        browser.visible("#widget-color").clear();
        browser.visible("#widget-color").sendKeys("#0b5e3a");
        tick(browser, "#widget-form-enabled");
        browser.choose("#widget-ask-name", "REQUIRED");
        browser.visible("#widget-types").clear();
        browser.visible("#widget-types").sendKeys("결제\n분실\n한도");
        tick(browser, "#widget-consent-required");
        browser.visible("#widget-consent-text").clear();
        browser.visible("#widget-consent-text").sendKeys(CONSENT);
        browser.visible("#widget-form button[type=submit]").click();
        browser.showing("#notice", lang.equals("ko") ? "저장했습니다" : "saved");
        browser.showing("#widget-consent-version", lang.equals("ko") ? "버전 " : "version ");
        assertEquals(List.of(), Accessibility.seriousFaults(browser, "#view-widget"), "the screen, by axe-core");
        browser.script("window.scrollTo(0, 0)");
        browser.screenshot("admin-widget-settings-" + lang);
      }
    }
    JsonNode saved = server.http().expect(200, "GET", "/api/tenants/" + s.tenant() + "/centers/seoul/widget",
        s.adminToken(), null);
    assertEquals("#0b5e3a", saved.path("brandColor").asText());
    assertEquals("Hanbit Card", saved.path("title").asText());
    assertEquals(3, saved.path("form").path("inquiryTypes").size());
    assertEquals(1, saved.path("form").path("consentVersion").asInt(), "the same text twice is one version");
  }

  private static void tick(Browser browser, String css) {
    if (!browser.visible(css).isSelected()) {
      browser.visible(css).click();
    }
  }

  private static byte[] logo() throws IOException {
    BufferedImage image = new BufferedImage(120, 40, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 120, 40);
    g.setColor(new Color(0x0b5e3a));
    g.fillOval(4, 4, 32, 32);
    g.fillRect(44, 14, 70, 12);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
