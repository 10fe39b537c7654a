package io.sangdam.api;

import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/audit}: the audit log, newest first, read-only. HQ reads all of it (or one
 * tenant's with {@code tenant}); a tenant admin reads their tenant's; nobody else reads it.
 */
public final class AuditEndpoints implements Endpoints {
  private static final int MAX_PAGE = 200;

  private final Directory directory;
  private final AuditLog audit;

  public AuditEndpoints(Directory directory, AuditLog audit) {
    this.directory = directory;
    this.audit = audit;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route("GET", "/api/audit", true, this::search));
  }

  /** Filters {@code tenant}, {@code actor} (username), {@code action} (prefix), {@code from}, {@code to}; {@code limit}, {@code cursor}. */
  private ApiResponse search(Call call) {
    Principal p = call.principal();
    Access.require(p, Permission.AUDIT_READ);
    Tenant tenant = call.query("tenant").map(code -> Access.requireTenant(p, directory.tenantByCode(
        code.toLowerCase(Locale.ROOT)).orElse(null), code)).orElse(null);
    // Only HQ reads across tenants: anyone else (a tenant admin, or a custom role on any base) reads their own.
    if (tenant == null && p.role() != Role.HQ_ADMIN) {
      tenant = directory.tenant(p.tenantId()).orElseThrow();
    }
    ZoneId zone = tenant == null ? Dates.zone(call) : Dates.zone(call, directory, tenant.id(), null);
    Paging.Keyset keyset = Paging.keyset(call, MAX_PAGE);
    int limit = keyset.limit();
    AuditLog.Query query = new AuditLog.Query(tenant == null ? null : tenant.id(), call.query("actor").orElse(null),
        call.query("action").orElse(null),
        Dates.date(call, "from").map(d -> d.atStartOfDay(zone).toInstant()).orElse(null),
        Dates.date(call, "to").map(d -> d.plusDays(1).atStartOfDay(zone).toInstant()).orElse(null), keyset.before());
    List<AuditLog.Recorded> found = audit.search(query, limit + 1);
    boolean more = found.size() > limit;
    List<AuditLog.Recorded> page = more ? found.subList(0, limit) : found;
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("entries", page.stream().map(r -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("id", r.id());
      e.put("at", r.at().toString());
      e.put("tenant", r.entry().tenantId() == null ? null
          : directory.tenant(r.entry().tenantId()).map(Tenant::code).orElse(null));
      e.put("actor", r.entry().actorName());
      e.put("action", r.entry().action());
      e.put("target", r.entry().target());
      e.put("detail", r.entry().detail());
      e.put("address", r.entry().remoteAddress());
      return e;
    }).toList());
    answer.put("nextCursor", more ? String.valueOf(page.get(page.size() - 1).id()) : null);
    return ApiResponse.ok(answer);
  }
}
