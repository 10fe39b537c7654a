package io.sangdam;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What scripts/run promises: every address its banner prints answers, the demo tenant's agent and
 * manager sign in, and a chat can start at once.
 */
class DemoTenantIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("demo.enabled", "true");

  @Test
  void everyAddressTheBannerPrintsAnswersTheRestApisWithItsIndex() {
    String banner = DemoTenant.banner(server.port(), Optional.empty(), "scripts/run");
    Matcher address = Pattern.compile("http://localhost:" + server.port() + "(/[^\\s)]*)").matcher(banner);
    List<String> paths = new ArrayList<>();
    while (address.find()) {
      paths.add(address.group(1));
    }
    assertTrue(paths.contains("/api/"), banner);
    for (String path : paths) {
      assertEquals(200, server.http().download(path, null).status(), path + " of the banner answers");
    }
    JsonNode index = server.http().expect(200, "GET", "/api/", null, null);
    assertEquals("/api/openapi.json", index.path("openapi").asText());
    assertEquals("3.0.3", server.http().download(index.path("openapi").asText(), null).json().path("openapi").asText());
    assertEquals(405, server.http().send("POST", "/api/", null, of()).status(), "the index is only read");
  }

  @Test
  void theBannerSaysHowToSetTheHqPasswordAgainAndShowsOneGeneratedAtThisStartOnly() {
    String restarted = DemoTenant.banner(8080, Optional.empty(), "scripts/run");
    assertTrue(restarted.contains("stop the server and run: scripts/run reset-password admin"), restarted);
    assertFalse(restarted.contains("printed above"), restarted);
    String first = DemoTenant.banner(8080, Optional.of("Abc-generated_12"), "bin/sangdam");
    assertTrue(first.contains("password=Abc-generated_12"), first);
    assertTrue(first.contains("bin/sangdam reset-password admin"), first);
  }

  @Test
  void theDemoAgentAndManagerSignInWithTheCredentialsPrintedAndTheCenterTakesChats() {
    String agent = server.http().login("demo", DemoTenant.AGENT, DemoTenant.AGENT_PASSWORD);
    String manager = server.http().login("demo", DemoTenant.MANAGER, DemoTenant.MANAGER_PASSWORD);
    JsonNode canned = server.http().expect(200, "GET", "/api/tenants/demo/canned", agent, null);
    assertEquals("/hi", canned.get(0).path("shortcut").asText());
    assertEquals(1, server.http().expect(200, "GET", "/api/dashboard", manager, null).path("tenants").size());
    try (WsClient customer = server.customer()) {
      customer.send(of("type", "hello", "tenant", "demo", "center", "seoul")).next("welcome");
      assertEquals("general", customer.send(of("type", "start", "queue", "general")).next("started")
          .path("conversation").path("queue").asText());
    }
  }

  @Test
  void aKoreanBotGreetsQueueGeneralAndAnswersFromASmallFaq() {
    String admin = server.adminToken();
    JsonNode entries = server.http().expect(200, "GET", "/api/tenants/demo/scenario-entries", admin, null);
    assertEquals(1, entries.size());
    assertEquals("seoul", entries.get(0).path("center").asText());
    assertEquals("general", entries.get(0).path("queue").asText());
    assertEquals("데모 기본 시나리오", entries.get(0).path("scenario").path("name").asText());
    long tenant = server.http().expect(200, "GET", "/api/tenants/demo", admin, null).path("id").asLong();
    long center = server.http().expect(200, "GET", "/api/tenants/demo/centers/seoul", admin, null).path("id").asLong();
    long queue = server.http().expect(200, "GET", "/api/tenants/demo/centers/seoul/queues/general", admin, null)
        .path("id").asLong();
    assertEquals("greeting", server.botLibrary().scenarioFor(tenant, center, queue, "web").orElseThrow().start());

    assertEquals(16, server.http().expect(200, "GET", "/api/tenants/demo/faq", admin, null).size());
    JsonNode tried = server.http().expect(200, "POST", "/api/tenants/demo/faq/try", admin,
        of("text", "카드 잃어버렸는데 어떡해요"));
    assertEquals("confident", tried.path("verdict").asText(), tried.toString());
    assertEquals("카드를 분실했어요. 어떻게 해야 하나요?", tried.path("candidates").get(0).path("question").asText());
  }

  /**
   * README "Try it": a newcomer starting a chat in queue general meets the bot (its greeting and menu), asks for an
   * agent with the menu's "상담원 연결", gives a name and phone, and is handed to the ONLINE demo agent, who is
   * assigned it.
   */
  @Test
  void theReadmeWalkthroughTheBotGreetsAndHandsTheCustomerToTheAgent() {
    String token = server.http().login("demo", DemoTenant.AGENT, DemoTenant.AGENT_PASSWORD);
    try (WsClient agent = server.agent(); WsClient customer = server.customer()) {
      agent.send(of("type", "hello", "token", token)).next("welcome");
      agent.send(of("type", "status", "status", "ONLINE")).next("status");
      customer.send(of("type", "hello", "tenant", "demo", "center", "seoul", "name", "홍길동")).next("welcome");
      JsonNode started = customer.send(of("type", "start", "rid", "r1", "queue", "general", "text", "안녕하세요"))
          .next("started");
      assertEquals("BOT", started.path("conversation").path("state").asText(), started.toString());
      long id = started.path("conversation").path("id").asLong();
      JsonNode greeting = customer.until("message");
      assertEquals("bot", greeting.path("from").asText(), greeting.toString());
      assertTrue(greeting.path("text").asText().startsWith("안녕하세요, 상담 챗봇입니다."), greeting.toString());
      JsonNode menu = customer.until("message");
      assertEquals("무엇을 도와드릴까요?", menu.path("text").asText());
      assertEquals("상담원 연결", menu.path("buttons").get(2).path("label").asText(), menu.toString());
      assertEquals("agent", menu.path("buttons").get(2).path("id").asText(), menu.toString());

      said(customer, of("type", "send", "conversation", id, "cmid", "c-1", "text", "상담원 연결", "button", "agent"),
          "성함을 알려 주세요.");
      said(customer, of("type", "send", "conversation", id, "cmid", "c-2", "text", "홍길동"),
          "연락 가능한 휴대폰 번호를 알려 주세요.");
      said(customer, of("type", "send", "conversation", id, "cmid", "c-3", "text", "010-1234-5678"),
          "상담원에게 연결해 드릴게요. 잠시만 기다려 주세요.");
      JsonNode assigned = customer.until("assigned");
      assertEquals(id, assigned.path("conversation").asLong());
      JsonNode atAgent = agent.until("assigned");
      assertEquals(id, atAgent.path("conversation").path("id").asLong());
    }
  }

  /** Sends {@code frame} and waits for the bot's message {@code text}. */
  private static void said(WsClient customer, JsonNode frame, String text) {
    customer.send(frame);
    for (int i = 0; i < 10; i++) {
      JsonNode m = customer.next();
      if (m.path("type").asText().equals("message") && m.path("text").asText().equals(text)) {
        return;
      }
    }
    throw new AssertionError("the bot never said '" + text + "'");
  }
}
