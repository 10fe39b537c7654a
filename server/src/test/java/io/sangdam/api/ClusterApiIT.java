package io.sangdam.api;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.cluster.ClusterProtocol;
import io.sangdam.testing.Http;
import io.sangdam.testing.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /api/cluster} on a server alone: HQ sees it as the one node, owning every center; nobody else sees it. */
class ClusterApiIT {
  @RegisterExtension
  static final TestServer server = new TestServer().with("cluster.nodeName", "seoul-1");

  @Test
  void hqSeesTheServerAsTheOneNodeOwningEveryCenter() {
    Http http = server.http();
    TestServer.Setup s = server.setUp();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/centers", s.adminToken(), of("code", "busan",
        "name", "부산"));
    Instant before = Instant.now();

    JsonNode cluster = http.expect(200, "GET", "/api/cluster", s.adminToken(), null);
    assertFalse(cluster.path("clustered").asBoolean(true), cluster.toString());
    assertEquals("seoul-1", cluster.path("node").asText());
    assertFalse(cluster.path("nats").path("connected").asBoolean(true), "no NATS for a single node");
    assertTrue(cluster.path("othersKnown").asBoolean(false), "a server alone knows there are no others");
    assertEquals(1, cluster.path("nodes").size(), cluster.toString());
    JsonNode node = cluster.path("nodes").get(0);
    assertEquals("seoul-1", node.path("name").asText());
    assertFalse(node.path("version").asText().isEmpty());
    assertEquals(ClusterProtocol.VERSION, node.path("protocol").asInt());
    assertEquals(server.port(), node.path("port").asInt());
    assertFalse(node.path("host").asText().isEmpty());
    assertTrue(Instant.parse(node.path("startedAt").asText()).isBefore(before), node.toString());
    assertEquals(0, node.path("heartbeatAgeMs").asLong(-1));
    List<String> centers = new ArrayList<>();
    node.path("centers").forEach(c -> centers.add(c.asText()));
    assertTrue(centers.containsAll(List.of(s.tenant() + "/busan", s.tenant() + "/seoul")), centers.toString());
  }

  @Test
  void onlyHqMayAsk() {
    Http http = server.http();
    TestServer.Setup s = server.setUp();
    http.expect(201, "POST", "/api/tenants/" + s.tenant() + "/users", s.adminToken(), of("username", "chief",
        "password", TestServer.STAFF_PASSWORD, "name", "계열사 관리자", "role", "TENANT_ADMIN"));
    String tenantAdmin = http.login(s.tenant(), "chief", TestServer.STAFF_PASSWORD);

    assertEquals("forbidden", http.expect(403, "GET", "/api/cluster", tenantAdmin, null).path("error").path("code")
        .asText());
    http.expect(403, "GET", "/api/cluster", s.agentToken(), null);
    http.expect(401, "GET", "/api/cluster", null, null);
  }
}
