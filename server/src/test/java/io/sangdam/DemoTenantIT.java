package io.sangdam;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What scripts/run promises: the demo tenant's agent and manager sign in, and a chat can start at once. */
class DemoTenantIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("demo.enabled", "true");

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
}
