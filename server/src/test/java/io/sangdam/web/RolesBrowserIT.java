package io.sangdam.web;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Browser;
import io.sangdam.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin console's roles editor (issue 19): a tenant admin shapes a quality reviewer's role from grouped
 * permission check boxes in Korean and English, gives it to a new user in the user form, and the reviewer's console
 * offers only what the role allows, over the centers it adds.
 */
class RolesBrowserIT {
  @RegisterExtension
  static final TestServer server = new TestServer();

  /** Codes a person must never read on these screens. */
  private static final List<String> NEVER_SHOWN = List.of("transcripts.read", "pii.unmask", "manage.roles",
      "CENTER_MANAGER", "TENANT_ADMIN", "field '");

  private static String admin() {
    return "http://127.0.0.1:" + server.port() + "/admin/";
  }

  private static void assertNoCodes(Browser browser, String screen) {
    String text = (String) browser.script("return document.body.innerText + [...document.querySelectorAll('select')]"
        + ".flatMap((s) => [...s.options].map((o) => o.text)).join('\\n')");
    for (String code : NEVER_SHOWN) {
      assertFalse(text.contains(code), screen + " shows '" + code + "':\n" + text);
    }
  }

  @Test
  void aTenantAdminShapesAReviewerAndTheReviewerSeesOnlyTheHistory() {
    TestServer.Setup s = server.setUp();
    String t = "/api/tenants/" + s.tenant();
    server.http().expect(201, "POST", t + "/centers", s.adminToken(), of("code", "busan", "name", "부산"));
    server.http().expect(201, "POST", t + "/users", s.adminToken(), of("username", "chief", "password",
        TestServer.STAFF_PASSWORD, "name", "관리자", "role", "TENANT_ADMIN"));
    try (Browser browser = Browser.open(1280, 800)) {
      browser.logIn(admin(), s.tenant(), "chief", TestServer.STAFF_PASSWORD);
      browser.visible("#nav button[data-view='roles']").click();
      browser.visible("#view-roles .bar button").click();
      browser.visible("#roles-form [name='name']").sendKeys("품질 평가");
      browser.choose("#roles-form select[name='base']", "CENTER_MANAGER");
      browser.visible("#roles-form button[type=submit]").click();
      browser.showing("#notice", "권한을 하나 이상 선택해 주세요");
      browser.visible("#roles-form fieldset[data-name='centers'] input[value='busan']").click();
      browser.visible("#roles-form fieldset[data-name='permissions'] input[value='transcripts.read']").click();
      browser.showing("#roles-form", "개인정보 원문 보기");
      browser.screenshot("roles-editor-ko");
      assertNoCodes(browser, "the roles editor");
      browser.visible("#roles-form button[type=submit]").click();
      browser.showing("#roles-list tbody", "품질 평가");
      browser.showing("#roles-list tbody", "상담 이력 조회");

      browser.visible("#language").click();
      browser.showing("#language", "한국어");
      browser.showing("#roles-list thead", "Permissions");
      browser.showing("#roles-list tbody", "Read chat history");
      browser.visible("#roles-list tbody button").click();
      browser.showing("#roles-form", "See personal data unmasked");
      browser.showing("#roles-form", "Also sees these centers");
      browser.screenshot("roles-editor-en");
      assertNoCodes(browser, "the roles editor in English");
      browser.visible("#language").click();
      browser.showing("#language", "English");

      browser.visible("#nav button[data-view='manage']").click();
      browser.visible("#manage-tabs button[data-entity='users']").click();
      browser.visible("#manage-new").click();
      browser.visible("#manage-fields [name='username']").sendKeys("qa");
      browser.visible("#manage-fields [name='password']").sendKeys(TestServer.STAFF_PASSWORD);
      browser.visible("#manage-fields [name='name']").sendKeys("품질 담당");
      browser.until("return [...document.querySelectorAll(\"#manage-fields select[name='customRole'] option\")]"
          + ".some((o) => o.text.startsWith('품질 평가'))");
      String roleId = (String) browser.script("return [...document.querySelectorAll(\"#manage-fields "
          + "select[name='customRole'] option\")].find((o) => o.text.startsWith('품질 평가')).value");
      browser.choose("#manage-fields select[name='customRole']", roleId);
      assertFalse(browser.all("#manage-fields select[name='role']").get(0).isDisplayed(),
          "the custom role decides the role");
      browser.choose("#manage-fields select[name='center']", "seoul");
      browser.screenshot("roles-user-form-ko");
      browser.visible("#manage-form button[type=submit]").click();
      browser.showing("#manage-list tbody tr[data-key='qa']", "품질 평가");
    }
    JsonNode qa = server.http().expect(200, "GET", t + "/users/qa", s.adminToken(), null);
    assertEquals("CENTER_MANAGER", qa.path("role").asText());
    assertEquals("품질 평가", qa.path("customRole").path("name").asText());

    try (Browser browser = Browser.open(1280, 800)) {
      browser.logIn(admin(), s.tenant(), "qa", TestServer.STAFF_PASSWORD);
      browser.visible("#view-search");
      List<String> offered = browser.all("#nav button").stream().filter(b -> b.isDisplayed())
          .map(b -> b.getAttribute("data-view")).toList();
      assertEquals(List.of("search"), offered, "a reviewer is offered the history only");
      assertTrue(browser.all("#view-dashboard").get(0).getAttribute("hidden") != null);
      browser.showing("#me", "품질 평가");
      browser.until("const t = [...document.querySelectorAll('#search-center option')].map((o) => o.text);"
          + " return t.length === 3 && ['전체 센터', '부산', '서울'].every((c) => t.includes(c))");
      assertTrue(browser.visible("#search-center").isEnabled(), "the role's centers to choose from");
      browser.screenshot("roles-reviewer-console-ko");
    }
  }
}
