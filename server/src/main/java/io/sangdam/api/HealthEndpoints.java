package io.sangdam.api;

import java.util.List;
import java.util.Map;

/** {@code GET /health} (liveness: the database answers) and {@code GET /ready} (readiness). */
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
            ? ApiResponse.ok(Map.of("status", "READY")) : new ApiResponse(503, Map.of("status", "NOT_READY"))));
  }
}
