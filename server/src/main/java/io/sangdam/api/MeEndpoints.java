package io.sangdam.api;

import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.stats.AgentDay;
import io.sangdam.stats.AgentDays;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The signed-in user's own things: where they work, by name (the consoles show names, not codes), and their
 * figures of today. Every user may call them; they name nothing beyond the caller's own tenant and center.
 */
public final class MeEndpoints implements Endpoints {
  private final Directory directory;
  private final AgentDays days;

  public MeEndpoints(Directory directory, AgentDays days) {
    this.directory = directory;
    this.days = days;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/me", true, this::me),
        new Route("GET", "/api/me/today", true, this::today));
  }

  /**
   * {@code {"user","tenant"?,"center"?,"queues"}}: the caller (with their permissions and custom role), their
   * tenant and center, the center's queues.
   */
  private ApiResponse me(Call call) {
    Principal p = call.principal();
    Optional<Tenant> tenant = Optional.ofNullable(p.tenantId()).flatMap(directory::tenant);
    Optional<Center> center = center(p);
    Map<String, Object> answer = new LinkedHashMap<>();
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("id", p.id());
    user.put("username", p.user().username());
    user.put("name", p.user().name());
    user.put("role", p.role().name());
    user.put("permissions", p.permissions().stream().sorted().map(Permission::code).toList());
    user.put("customRole", RoleEndpoints.reference(p.customRole()));
    answer.put("user", user);
    answer.put("tenant", tenant.map(t -> Map.of("code", t.code(), "name", t.name())).orElse(null));
    answer.put("center", center.map(c -> Map.of("code", c.code(), "name", c.name(), "timezone", c.timezone()))
        .orElse(null));
    answer.put("queues", center.map(c -> directory.queues(c.id()).stream()
        .map((Queue q) -> Map.of("code", q.code(), "name", q.name())).toList()).orElse(List.of()));
    return ApiResponse.ok(answer);
  }

  /**
   * {@code {"date","timezone","handled","avgHandleSeconds","csatAvg","csatResponses"}}: the chats the caller
   * closed since midnight in their center's time zone (Korea's for a user without a center).
   */
  private ApiResponse today(Call call) {
    Principal p = call.principal();
    ZoneId zone = center(p).map(c -> {
      try {
        return ZoneId.of(c.timezone());
      } catch (DateTimeException e) {
        return Dates.DEFAULT_ZONE;
      }
    }).orElse(Dates.DEFAULT_ZONE);
    AgentDays.Today today = days.today(p.id(), zone);
    AgentDay f = today.figures();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("date", today.date().toString());
    answer.put("timezone", zone.getId());
    answer.put("handled", f.handled());
    answer.put("avgHandleSeconds", f.avgHandleSeconds());
    answer.put("csatAvg", f.csatAvg());
    answer.put("csatResponses", f.csatResponses());
    return ApiResponse.ok(answer);
  }

  private Optional<Center> center(Principal p) {
    return Optional.ofNullable(p.centerId()).flatMap(directory::center);
  }
}
