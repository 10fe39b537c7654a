package io.sangdam.api;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.stats.Figures;
import io.sangdam.stats.Statistics;
import io.sangdam.stats.StatisticsStore;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The statistics of more than one tenant or center, for HQ and tenant admins: {@code GET /api/stats?scope=*}, the
 * whole group's figures over time with a row per tenant (HQ only), and {@code GET /api/stats/compare}, the figures
 * of each center (and tenant) of a range side by side. Days are in the {@code timezone} given, else the tenant's
 * (compare of one tenant), else Korea's. Blocks on the database.
 */
final class GroupStats {
  /** The scope that names every tenant. */
  static final String GROUP = "*";

  private final Directory directory;
  private final Statistics statistics;
  private final AuditLog audit;
  private final ChannelFilter channels;

  GroupStats(Directory directory, Statistics statistics, AuditLog audit, ChannelFilter channels) {
    this.directory = directory;
    this.statistics = statistics;
    this.audit = audit;
    this.channels = channels;
  }

  /** Whether the call asks for the group's statistics. */
  static boolean asked(Call call) {
    return call.query("scope").map(GROUP::equals).orElse(false);
  }

  /**
   * {@code /api/stats?scope=*}: as a tenant's report, summed over every tenant; neither {@code agent} nor
   * {@code channel} (both name something of one tenant), {@code channelKind} in every tenant.
   */
  ApiResponse report(Call call, Statistics.Interval interval, boolean csv) {
    Principal p = call.principal();
    requireHq(p);
    if (call.query("agent").isPresent()) {
      throw Fields.invalid("agent", "names an agent of one tenant: not with scope *");
    }
    if (call.query("channel").isPresent()) {
      throw Fields.invalid("channel", "names a channel of one tenant: not with scope *; channelKind is");
    }
    LocalDate from = Dates.requiredDate(call, "from");
    LocalDate to = Dates.requiredDate(call, "to");
    ZoneId zone = Dates.zone(call);
    List<Tenant> tenants = directory.tenants();
    List<StatisticsStore.Filter> filters = new ArrayList<>();
    for (Tenant t : tenants) {
      filters.add(new StatisticsStore.Filter(t.id(), null, null, null, channels.codes(call, t.id())));
    }
    Statistics.Report report = statistics.report(filters, from, to, interval, zone);
    List<Map<String, Object>> perTenant = new ArrayList<>();
    for (int i = 0; i < tenants.size(); i++) {
      perTenant.add(row(tenants.get(i), null, statistics.report(filters.get(i), from, to, Statistics.Interval.DAY,
          zone).total()));
    }
    String kind = call.query("channelKind").map(k -> k.strip().toUpperCase(Locale.ROOT)).orElse(null);
    if (csv) {
      audit.record(new AuditEntry(p.id(), p.user().username(), null, null, "stats.export", GROUP,
          from + ".." + to + " " + interval.name().toLowerCase(Locale.ROOT) + (kind == null ? "" : " kind " + kind),
          call.request().remoteAddress()));
      StringBuilder out = new StringBuilder(new String(StatsEndpoints.csv(report), StandardCharsets.UTF_8));
      for (Map<String, Object> row : perTenant) {
        StatsEndpoints.line(out, StatsEndpoints.cell("계열사 " + row.get("name")), (Figures) row.get("figures"));
      }
      return ApiResponse.ok(new ApiResponse.FileBody(out.toString().getBytes(StandardCharsets.UTF_8),
          "text/csv; charset=utf-8", "sangdam-stats-group-" + from + "-" + to + ".csv", false));
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("scope", GROUP);
    answer.put("agent", null);
    answer.put("channel", null);
    answer.put("channelKind", kind);
    answer.put("from", from.toString());
    answer.put("to", to.toString());
    answer.put("interval", interval.name().toLowerCase(Locale.ROOT));
    answer.put("timezone", zone.getId());
    answer.put("intervals", report.intervals().stream().map(r -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("start", r.start().toOffsetDateTime().toString());
      row.put("figures", r.figures());
      return row;
    }).toList());
    answer.put("total", report.total());
    answer.put("tenants", perTenant);
    return ApiResponse.ok(answer);
  }

  /**
   * {@code /api/stats/compare?scope=*|<tenant>&from&to}: each tenant's and each center's figures over the range,
   * side by side (HQ: the group or one tenant; a tenant admin: their tenant; a manager has one center: none).
   */
  ApiResponse compare(Call call) {
    Principal p = call.principal();
    Access.require(p, Permission.STATS_READ);
    Access.requireTenantWide(p);
    String scope = call.query("scope").orElseThrow(() -> Fields.missing("scope")).strip().toLowerCase(Locale.ROOT);
    List<Tenant> tenants;
    if (scope.equals(GROUP)) {
      requireHq(p);
      tenants = directory.tenants();
    } else if (Fields.SLUG.matcher(scope).matches()) {
      tenants = List.of(Access.requireTenant(p, directory.tenantByCode(scope).orElse(null), scope));
    } else {
      throw Fields.invalid("scope", "must be * or a tenant's code: centers are compared within a tenant or the group");
    }
    LocalDate from = Dates.requiredDate(call, "from");
    LocalDate to = Dates.requiredDate(call, "to");
    ZoneId zone = tenants.size() == 1 ? Dates.zone(call, directory, tenants.get(0).id(), null) : Dates.zone(call);
    List<Map<String, Object>> tenantRows = new ArrayList<>();
    List<Map<String, Object>> centerRows = new ArrayList<>();
    for (Tenant t : tenants) {
      tenantRows.add(row(t, null, total(new StatisticsStore.Filter(t.id(), null, null, null, null), from, to, zone)));
      for (Center c : directory.centers(t.id())) {
        centerRows.add(row(t, c, total(new StatisticsStore.Filter(t.id(), c.id(), null, null, null), from, to, zone)));
      }
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("scope", scope);
    answer.put("from", from.toString());
    answer.put("to", to.toString());
    answer.put("timezone", zone.getId());
    answer.put("tenants", tenantRows);
    answer.put("centers", centerRows);
    return ApiResponse.ok(answer);
  }

  private Figures total(StatisticsStore.Filter filter, LocalDate from, LocalDate to, ZoneId zone) {
    return statistics.report(filter, from, to, Statistics.Interval.DAY, zone).total();
  }

  /** A tenant's row ({@code center} null) or a center's, named by code and name. */
  private static Map<String, Object> row(Tenant tenant, Center center, Figures figures) {
    Map<String, Object> row = new LinkedHashMap<>();
    if (center == null) {
      row.put("code", tenant.code());
      row.put("name", tenant.name());
    } else {
      row.put("tenant", tenant.code());
      row.put("tenantName", tenant.name());
      row.put("code", center.code());
      row.put("name", center.name());
    }
    row.put("figures", figures);
    return row;
  }

  private static void requireHq(Principal p) {
    if (p.role() != Role.HQ_ADMIN) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "only HQ sees the whole group's statistics");
    }
  }
}
