package io.sangdam.api;

import static java.util.Objects.requireNonNull;

import io.sangdam.dashboard.Dashboard;
import java.util.List;

/** {@code GET /api/dashboard}: the dashboard of the caller's scope, or of one center in it ({@code ?center=tenant/center}). */
public final class DashboardEndpoints implements Endpoints {
  private final Dashboard dashboard;

  public DashboardEndpoints(Dashboard dashboard) {
    this.dashboard = requireNonNull(dashboard, "dashboard");
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route("GET", "/api/dashboard", true, call -> ApiResponse.ok(dashboard.view(
        dashboard.subject(call.principal(), call.query("center")), null))));
  }
}
