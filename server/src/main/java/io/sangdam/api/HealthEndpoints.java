package io.sangdam.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health} (liveness: the database answered its last probe), {@code GET /ready}
 * (readiness: migrated, conversations and routing restored, and the database answers) and {@code GET /metrics} (Prometheus), for anyone who can
 * reach the port: restrict them at the network, as the README says. And the API's own reference,
 * {@code GET /api/openapi.json}, the OpenAPI document shipped in the jar ({@code OpenApiIT} holds
 * it to the route table), found from {@code GET /api/}, the address the demo's banner prints.
 */
public final class HealthEndpoints implements Endpoints {
  private final Api.Health health;
  private final byte[] openApi;

  public HealthEndpoints(Api.Health health) {
    this.health = health;
    try (InputStream in = HealthEndpoints.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the jar");
      }
      this.openApi = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read openapi.json", e);
    }
  }

  /** What {@code GET /api/} answers: where the reference and the probes are, for a person who opens the API's address. */
  private record Index(String name, String openapi, String login, String health, String ready, String metrics) {}

  private static final Index INDEX = new Index("Sangdam REST API", "/api/openapi.json", "/api/login", "/health",
      "/ready", "/metrics");

  /** Whether {@code path} is one of these routes: they need no database, and answer during an outage. */
  static boolean serves(String path) {
    return path.equals("/health") || path.equals("/ready") || path.equals("/metrics")
        || path.equals("/api/openapi.json") || path.equals("/api/");
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", "/health", false, call -> health.live()
            ? ApiResponse.ok(Map.of("status", "UP")) : new ApiResponse(503, Map.of("status", "DOWN"))),
        new Route("GET", "/ready", false, call -> health.ready()
            ? ApiResponse.ok(Map.of("status", "READY")) : new ApiResponse(503, Map.of("status", "NOT_READY"))),
        new Route("GET", "/metrics", false, call -> ApiResponse.ok(new ApiResponse.FileBody(
            health.metrics().getBytes(StandardCharsets.UTF_8), "text/plain; version=0.0.4; charset=utf-8",
            "metrics.txt", true))),
        new Route("GET", "/api/openapi.json", false, call -> ApiResponse.ok(new ApiResponse.FileBody(openApi,
            "application/json; charset=utf-8", "openapi.json", true))),
        new Route("GET", "/api/", false, call -> ApiResponse.ok(INDEX)));
  }
}
