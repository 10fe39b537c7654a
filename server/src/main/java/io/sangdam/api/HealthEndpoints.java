package io.sangdam.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health} (liveness: the database answers), {@code GET /ready} (readiness: migrated,
 * conversations and routing restored) and {@code GET /metrics} (Prometheus), for anyone who can
 * reach the port: restrict them at the network, as the README says.
 */
final class HealthEndpoints {
  private final Api.Health health;

  HealthEndpoints(Api.Health health) {
    this.health = health;
  }

  List<Route> routes() {
    return List.of(
        new Route("GET", "/health", false, call -> health.live()
            ? ApiResponse.ok(Map.of("status", "UP")) : new ApiResponse(503, Map.of("status", "DOWN"))),
        new Route("GET", "/ready", false, call -> health.ready()
            ? ApiResponse.ok(Map.of("status", "READY")) : new ApiResponse(503, Map.of("status", "NOT_READY"))),
        new Route("GET", "/metrics", false, call -> ApiResponse.ok(new ApiResponse.FileBody(
            health.metrics().getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4; charset=utf-8",
            "metrics.txt", true))));
  }
}
