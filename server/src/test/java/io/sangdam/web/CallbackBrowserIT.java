package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.Browser;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A callback request (콜백 예약) through the three apps in Chromium: out of hours the widget leaves one (a malformed
 * number is refused in the customer's words first); when its slot comes the agent console shows it due, the agent
 * claims it, sees the number in full and records that the customer was reached; the admin console's call-backs screen
 * counts it. Screenshots of each screen in Korean and English.
 */
class CallbackBrowserIT {
  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  /** 18:00 tomorrow in Seoul: "today" is a holiday there whose midnight is neither minutes nor over 12 h away. */
  private static final ManualTime time = new ManualTime(ZonedDateTime.now(SEOUL).plusDays(1).toLocalDate()
      .atTime(18, 0).atZone(SEOUL).toInstant());

  @RegisterExtension
  static final TestServer server = new TestServer().withTime(time).with("SANGDAM_AUTH_TOKENTTLMINUTES", "10080");

  @Test
  void outOfHoursTheWidgetLeavesACallbackTheAgentCallsAndTheManagerCountsIt() {
    TestServer.Setup s = server.setUp();
    String base = "http://127.0.0.1:" + server.port();
    // Closed today (a holiday), open all day from tomorrow: the first slot is tomorrow's local midnight.
    LocalDate today = time.instant().atZone(SEOUL).toLocalDate();
    Map<String, Object> week = new LinkedHashMap<>();
    for (String day : List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")) {
      week.put(day, List.of(List.of("00:00", "24:00")));
    }
    server.http().expect(200, "PUT", "/api/tenants/" + s.tenant() + "/centers/seoul/hours", s.adminToken(),
        of("timezone", "Asia/Seoul", "weekly", week, "holidays", List.of(today.toString()), "outOfHours",
            "OFFLINE_FORM"));
    Instant slot = today.plusDays(1).atStartOfDay(SEOUL).toInstant();

    try (Browser widget = Browser.phone()) {
      widget.go(base + "/widget/?tenant=" + s.tenant() + "&center=seoul");
      widget.visible("#callback-form");
      widget.until("return document.querySelectorAll('#callback-slot option').length > 0");
      assertEquals(slot.toString(), widget.script("return document.getElementById('callback-slot').value"));
      widget.showing("#callback-form legend", "전화 상담 예약");
      widget.screenshot("callback-widget-ko");
      widget.visible("#language").click();
      widget.showing("#callback-form legend", "Request a call back");
      widget.screenshot("callback-widget-en");
      widget.visible("#language").click();

      widget.visible("#callback-phone").sendKeys("123-45");
      widget.visible("#callback-request").click();
      widget.showing("#callback-error", "010-1234-5678 형식");
      widget.screenshot("callback-widget-invalid-ko");
      widget.visible("#callback-phone").clear();
      widget.visible("#callback-phone").sendKeys("010-1234-5678");
      widget.visible("#callback-request").click();
      widget.showing("#done-text", "상담사가 전화드리겠습니다");
      widget.screenshot("callback-widget-stored-ko");
    }

    time.advance(Duration.between(time.instant(), slot.plus(Duration.ofMinutes(1))));
    try (Browser agent = Browser.open()) {
      agent.logIn(base + "/agent/", s.tenant(), "kim", "agent-pass-1");
      agent.visible("#callbacks");
      agent.showing("#callback-list li", "010-****-5678");
      agent.showing("#callback-list li .flag.due", "통화 시간");
      agent.screenshot("callback-agent-queue-ko");
      agent.visible("#callback-list li button.primary").click();
      agent.showing("#callback-list li .phone", "010-1234-5678");
      agent.screenshot("callback-agent-calling-ko");
      agent.visible("#language").click();
      agent.showing("#callback-list li .outcome button", "Save result");
      agent.screenshot("callback-agent-calling-en");
      agent.visible("#language").click();
      agent.choose("#callback-list select[name='outcome']", "reached");
      agent.visible("#callback-list input[name='note']").sendKeys("해지 방법 안내");
      agent.visible("#callback-list .outcome button").click();
      agent.showing("#callbacks .empty", "지금 전화드릴 예약이 없습니다.");
      agent.screenshot("callback-agent-done-ko");
      agent.visible("#language").click();
      agent.showing("#callbacks .empty", "No call-backs are due.");
      agent.screenshot("callback-agent-done-en");
    }

    String day = slot.atZone(SEOUL).toLocalDate().toString();
    try (Browser admin = Browser.open()) {
      admin.logIn(base + "/admin/", null, "admin", TestServer.ADMIN_PASSWORD);
      admin.visible("#nav button[data-view='callbacks']").click();
      admin.until("return [...document.querySelectorAll('#callbacks-tenant option')].some(o => o.value === '"
          + s.tenant() + "')");
      admin.choose("#callbacks-tenant", s.tenant());
      admin.script("document.getElementById('callbacks-tenant').dispatchEvent(new Event('change'));"
          + "document.getElementById('callbacks-from').value = '" + day + "';"
          + "document.getElementById('callbacks-to').value = '" + day + "';");
      admin.visible("#callbacks-form button[type='submit']").click();
      admin.showing("#callbacks-figures tr.total", "100%");
      String total = admin.visible("#callbacks-figures tr.total").getText();
      assertTrue(total.startsWith("합계"), total);
      assertTrue(total.matches("합계\\s+1\\s+1\\s+1\\s+100%\\s+0\\s+0"), total);
      admin.showing("#callbacks-list tbody", "통화 완료 · 해지 방법 안내");
      admin.showing("#callbacks-list tbody", "010-****-5678");
      admin.screenshot("callback-admin-ko");
      admin.visible("#language").click();
      admin.showing("#callbacks-list tbody", "Reached");
      admin.showing("#callbacks-figures thead", "Reached rate");
      admin.screenshot("callback-admin-en");
      admin.visible("#language").click();
    }
  }
}
