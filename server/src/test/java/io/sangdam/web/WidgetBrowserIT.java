package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Browser;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/** The customer widget in headless Chromium against the real server: a whole chat, as a customer sees it. */
class WidgetBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final String HOSTILE = "<img src=x onerror=\"document.title='pwned'\">";

  @Test
  void aCustomerChatsWithAnAgentReloadsAndRatesTheChat() {
    TestServer.Setup s = server.setUp();
    try (Browser browser = Browser.phone(); WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      browser.go("http://127.0.0.1:" + server.port() + "/widget/?tenant=" + s.tenant() + "&center=seoul");

      browser.visible("#queue-list button[data-queue=card]");
      assertEquals("카드", browser.visible("#queue-list button").getText());
      browser.screenshot("widget-1-choose");
      browser.visible("#start").click();

      long conversation = agent.next("assigned").path("conversation").path("id").asLong();
      browser.showing("#messages", "김상담");
      agent.send(of("type", "send", "conversation", conversation, "cmid", "a1", "text", "안녕하세요 " + HOSTILE))
          .until("ack");
      browser.showing("#messages li.agent", HOSTILE);
      assertEquals(0, browser.all("#messages img[src='x']").size(), "text is shown as text, never as HTML");
      assertEquals("채팅 상담", browser.script("return document.title"), "nothing it carried ran");

      browser.visible("#text").sendKeys("카드 분실 신고하려고요", Keys.ENTER);
      JsonNode said = agent.until("message");
      assertEquals("카드 분실 신고하려고요", said.path("text").asText());
      agent.send(of("type", "read", "conversation", conversation, "seq", said.path("seq").asLong()));
      browser.showing("#messages li.customer .receipt", "읽음");
      browser.screenshot("widget-2-chat");

      browser.reload();
      browser.showing("#messages", "카드 분실 신고하려고요");
      assertTrue(browser.visible("#messages").getText().contains("안녕하세요"), "the chat continues after a reload");

      agent.send(of("type", "close", "conversation", conversation)).until("closed");
      browser.visible("#stars button[data-score='5']").click();
      browser.visible("#comment").sendKeys("친절했어요");
      browser.visible("#rate").click();
      browser.showing("#done-text", "감사합니다");
      JsonNode rated = agent.until("rated");
      assertEquals(5, rated.path("score").asInt());
      browser.screenshot("widget-3-rated");
    }
  }

  @Test
  void aCustomerSendsAPictureAndTheAgentGetsItWithAPreview() throws Exception {
    TestServer.Setup s = server.setUp();
    Path picture = Files.createTempFile("영수증", ".png");
    BufferedImage image = new BufferedImage(640, 480,
        BufferedImage.TYPE_INT_RGB);
    ImageIO.write(image, "png", picture.toFile());
    try (Browser browser = Browser.phone(); WsClient agent = server.agent()) {
      agent.send(of("type", "hello", "token", s.agentToken())).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      browser.go("http://127.0.0.1:" + server.port() + "/widget/?tenant=" + s.tenant() + "&center=seoul");
      browser.visible("#start").click();
      agent.next("assigned");
      browser.showing("#messages", "김상담");
      browser.all("#file").get(0).sendKeys(picture.toString());
      JsonNode file = agent.until("message").path("attachment");
      assertEquals("image/png", file.path("contentType").asText());
      assertTrue(file.path("previewUrl").isTextual(), "a picture has a preview");
      browser.visible("#messages li.customer img");
      browser.screenshot("widget-4-file");
    } finally {
      Files.deleteIfExists(picture);
    }
  }

  @Test
  void outOfHoursTheCustomerLeavesAnInquiry() {
    TestServer.Setup s = server.setUp();
    server.http().expect(200, "PUT", "/api/tenants/" + s.tenant() + "/centers/seoul/hours", s.adminToken(),
        of("timezone", "Asia/Seoul", "weekly", Map.of(), "outOfHours", "OFFLINE_FORM"));
    try (Browser browser = Browser.phone()) {
      browser.go("http://127.0.0.1:" + server.port() + "/widget/?tenant=" + s.tenant() + "&center=seoul");
      browser.showing("#offline-intro", "상담 시간이 아닙니다");
      browser.visible("#contact").sendKeys("010-1234-5678");
      browser.visible("#inquiry").sendKeys("카드 한도 문의입니다");
      browser.visible("#leave-inquiry").click();
      browser.showing("#done-text", "문의가 접수되었습니다");
      browser.screenshot("widget-5-offline");
    }
    JsonNode inquiries = server.http().expect(200, "GET", "/api/tenants/" + s.tenant()
        + "/centers/seoul/inquiries", s.adminToken(), null);
    assertEquals("카드 한도 문의입니다", inquiries.get(0).path("text").asText());
  }

  @Test
  void theWidgetSpeaksEnglishOnRequest() {
    TestServer.Setup s = server.setUp();
    try (Browser browser = Browser.phone()) {
      browser.go("http://127.0.0.1:" + server.port() + "/widget/?tenant=" + s.tenant() + "&center=seoul&lang=en");
      assertEquals("Start chat", browser.visible("#start").getText());
      browser.visible("#language").click();
      assertEquals("상담 시작", browser.visible("#start").getText());
    }
  }
}
