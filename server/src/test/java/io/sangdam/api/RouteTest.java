package io.sangdam.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTest {
  private final Route route = new Route("GET", "/api/tenants/{tenant}/centers/{center}/queues", true, c -> null);

  @Test
  void matchesAndExtractsParameters() {
    assertEquals(Map.of("tenant", "acme", "center", "seoul"),
        route.match("/api/tenants/acme/centers/seoul/queues").orElseThrow());
  }

  @Test
  void otherShapesDoNotMatch() {
    assertTrue(route.match("/api/tenants/acme/centers/seoul").isEmpty());
    assertTrue(route.match("/api/tenants/acme/centers/seoul/queues/x").isEmpty());
    assertTrue(route.match("/api/tenants//centers/seoul/queues").isEmpty());
    assertTrue(route.match("/api/tenant/acme/centers/seoul/queues").isEmpty());
  }
}
