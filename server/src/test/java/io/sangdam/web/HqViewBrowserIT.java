package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.Browser;
import io.sangdam.testing.Json;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HQ's view in headless Chromium: the dashboard's group and tenant totals (a center past its alert limit
 * marked), the statistics of the whole group with a row per tenant, days and hours written as people read
 * them, whole-number ticks, an hourly week as a heat map, and the centers compared side by side; in Korean
 * and English at 1280 x 800.
 */
class HqViewBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private static final List<String> CODES = List.of("T00:00", "+09:00", "serviceLevel", "abandonRate", "HQ_ADMIN",
      "invalid", "field '");

  private static void noCodes(Browser browser, String screen) {
    String text = String.valueOf(browser.script("return document.body.innerText"));
    for (String code : CODES) {
      assertFalse(text.contains(code), screen + " shows '" + code + "': " + text);
    }
  }

  private static void handledChat(TestServer.Setup s) {
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      long id = server.assignedChat(s, agent, customer);
      agent.send(of("type", "send", "conversation", id, "cmid", "h" + id, "text", "안녕하세요")).until("ack");
      agent.send(of("type", "close", "conversation", id)).until("closed");
    }
  }

  @Test
  void hqSeesTheGroupTotalsTheGroupsStatisticsAndTheCentersSideBySide() {
    TestServer.Setup a = server.setUp();
    TestServer.Setup b = server.setUp();
    handledChat(a);
    handledChat(b);
    handledChat(b);
    server.http().expect(200, "PUT", "/api/tenants/" + a.tenant() + "/centers/seoul/alert-thresholds", a.adminToken(),
        Json.parse("{\"center\":{\"waiting\":1}}"));
    LocalDate seoul = LocalDate.now(ZoneId.of("Asia/Seoul"));
    try (Browser hq = Browser.open(); WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", a.tenant(), "center", "seoul")).next("welcome");
      customer.send(of("type", "start", "queue", "card")).next("started");
      hq.logIn("http://127.0.0.1:" + server.port() + "/admin/", null, "admin", TestServer.ADMIN_PASSWORD);
      hq.showing(".group h3", "그룹 전체 합계");
      hq.showing(".tenant[data-tenant='" + a.tenant() + "'] .totals dd[data-figure='waiting']", "1");
      hq.showing(".tenant[data-tenant='" + b.tenant() + "'] .totals dd[data-figure='offeredToday']", "2");
      hq.until("return document.querySelector(\".card[data-center='" + a.tenant() + "/seoul']\")"
          + ".classList.contains('alerting')");
      hq.screenshot("hq-dashboard-ko");
      hq.visible("#language").click();
      hq.showing(".group h3", "Group totals (all tenants)");
      hq.screenshot("hq-dashboard-en");
      hq.visible("#language").click();

      hq.visible("#nav button[data-view='wallboard']").click();
      hq.choose("#board-tenant", a.tenant());
      hq.showing("#board-title", "Tenant " + a.tenant() + " · 서울");
      hq.showing("#board-alert", "센터 전체 대기 1명 (기준 1명)");
      hq.screenshot("hq-wallboard-ko");
      hq.visible("#nav button[data-view='dashboard']").click();
      hq.until("return document.querySelectorAll('.tenant').length >= 2");
      hq.showing(".tenant[data-tenant='" + a.tenant() + "'] .totals dd[data-figure='waiting']", "1");

      hq.visible("#nav button[data-view='stats']").click();
      hq.visible("#stats-from");
      hq.choose("#stats-tenant", "*");
      hq.script("document.getElementById('stats-from').value = '" + seoul.minusDays(1)
          + "'; document.getElementById('stats-to').value = '" + seoul.plusDays(1) + "';");
      hq.visible("#stats-form button[type=submit]").click();
      hq.showing("#stats-tenants-table tbody tr[data-tenant='" + b.tenant() + "']", "Tenant " + b.tenant());
      String today = seoul.getMonthValue() + "월 " + seoul.getDayOfMonth() + "일 (";
      hq.showing("#stats-table tbody", today);
      assertEquals(Boolean.TRUE, hq.script("return Chart.getChart(document.getElementById('stats-chart')).scales.y"
          + ".ticks.every((t) => Number.isInteger(t.value))"), "a count axis steps by whole numbers");
      assertTrue(hq.all("#stats-bot:not([hidden])").isEmpty(), "the bot's figures are per tenant");
      noCodes(hq, "the group's statistics");
      hq.screenshot("hq-stats-group-ko");

      hq.visible("#stats-compare-button").click();
      hq.showing("#stats-compare-table tbody tr[data-center='" + a.tenant() + "/seoul']", "서울");
      hq.showing("#stats-compare-table tbody tr[data-center='" + b.tenant() + "/seoul'] td[data-figure='offered']",
          "2");
      hq.showing("#stats-compare-table tbody tr[data-center='" + b.tenant() + "/seoul'] td[data-figure='serviceLevel']",
          "100%");
      hq.script("document.getElementById('stats-compare').scrollIntoView()");
      hq.screenshot("hq-compare-ko");
      hq.visible("#language").click();
      hq.showing("#stats-compare h3", "Centers side by side");
      String english = seoul.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH)
          + " " + seoul.getDayOfMonth() + " (";
      hq.showing("#stats-table tbody", english);
      noCodes(hq, "the comparison in English");
      hq.screenshot("hq-compare-en");
      hq.visible("#language").click();

      hq.choose("#stats-interval", "hour");
      hq.script("document.getElementById('stats-from').value = '" + seoul.minusDays(6)
          + "'; document.getElementById('stats-to').value = '" + seoul + "';");
      hq.visible("#stats-form button[type=submit]").click();
      hq.until("return document.getElementById('stats-table').classList.contains('heatmap')");
      assertEquals(8L, hq.script("return document.querySelectorAll('#stats-table tbody tr').length"),
          "a week of days and the hour-of-day totals, not 168 rows");
      assertEquals(26L, hq.script("return document.querySelectorAll('#stats-table thead th').length"));
      hq.showing("#stats-table tbody tr.hour-totals td.sum", "3");
      assertEquals(24L, hq.script("return Chart.getChart(document.getElementById('stats-chart')).data.labels.length"),
          "the chart draws the hours of the day");
      noCodes(hq, "the hourly week");
      hq.script("document.getElementById('stats-table').scrollIntoView()");
      hq.screenshot("hq-stats-hourly-week-ko");
      hq.visible("#language").click();
      hq.showing("#stats-table tbody tr.hour-totals th", "All days");
      hq.showing("#stats-center", "All centers");
      hq.screenshot("hq-stats-hourly-week-en");
    }
  }
}
