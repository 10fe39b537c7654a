package io.sangdam.api;

import io.sangdam.accesslog.AccessLog;
import io.sangdam.accesslog.AccessRecord;
import io.sangdam.accesslog.AccessReport;
import io.sangdam.accesslog.Reader;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The access records, for HQ and tenant admins (a tenant admin sees their tenant's only): {@code GET /api/access-log}
 * lists them newest first, filtered by staff member, data subject, action and period; {@code GET
 * /api/access-log/export} gives a period as CSV, with a reason, and is itself on the records; {@code GET
 * /api/access-log/report} is the month's review of unusual access.
 */
public final class AccessLogEndpoints implements Endpoints {
  private static final int MAX_PAGE = 200;
  /** The most records one export or one month's report reads: past it the caller narrows the period. */
  static final int MAX_PERIOD = 100_000;
  private static final int MAX_EXPORT_DAYS = 366;
  private static final Set<String> ACTIONS = Set.of("search", "search-pii", "transcript", "unmask", "profile",
      "history", "pre-chat", "download", "preview", "watch", "export", "access-log.export", "link-proposals");
  private static final DateTimeFormatter CSV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final Directory directory;
  private final AccessLog access;
  private final int bulkExportSubjects;

  public AccessLogEndpoints(Directory directory, AccessLog access, int bulkExportSubjects) {
    this.directory = directory;
    this.access = access;
    this.bulkExportSubjects = bulkExportSubjects;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route("GET", "/api/access-log", true, this::list),
        new Route("GET", "/api/access-log/export", true, this::export),
        new Route("GET", "/api/access-log/report", true, this::report));
  }

  /** The tenant named by {@code tenant} (a tenant admin: theirs, whether named or not); null for HQ's whole view. */
  private Tenant tenant(Call call) {
    Principal p = call.principal();
    Access.require(p, Permission.ACCESS_LOG_READ);
    if (p.role() == Role.CENTER_MANAGER || p.role() == Role.AGENT) {
      // The records are the tenant's, not a center's: a role on a center's base may hold the permission in vain.
      throw new SangdamException(ErrorCode.FORBIDDEN, "access records are read tenant-wide: this role's base is a "
          + "center");
    }
    Tenant tenant = call.query("tenant").map(code -> Access.requireTenant(p, directory.tenantByCode(
        code.toLowerCase(Locale.ROOT)).orElse(null), code)).orElse(null);
    return tenant == null && p.role() == Role.TENANT_ADMIN ? directory.tenant(p.tenantId()).orElseThrow() : tenant;
  }

  private ZoneId zone(Call call, Tenant tenant) {
    return tenant == null ? Dates.zone(call) : Dates.zone(call, directory, tenant.id(), null);
  }

  /** Filters {@code tenant}, {@code staff} (username), {@code subject} (customer id), {@code action}, {@code from}, {@code to}. */
  private ApiResponse list(Call call) {
    Tenant tenant = tenant(call);
    ZoneId zone = zone(call, tenant);
    Paging.Keyset keyset = Paging.keyset(call, MAX_PAGE);
    int limit = keyset.limit();
    Long subject = call.query("subject").map(s -> {
      if (!s.matches("\\d{1,18}")) {
        throw Fields.invalid("subject", "must be a customer id");
      }
      return Long.parseLong(s);
    }).orElse(null);
    String action = call.query("action").map(a -> {
      if (!ACTIONS.contains(a)) {
        throw Fields.invalid("action", "must be one of " + new TreeSet<>(ACTIONS));
      }
      return a;
    }).orElse(null);
    String staff = call.query("staff").map(s -> {
      if (s.isBlank() || s.length() > 100) {
        throw Fields.invalid("staff", "must be a username of 1 to 100 characters");
      }
      return s.strip();
    }).orElse(null);
    AccessLog.Query query = new AccessLog.Query(tenant == null ? null : tenant.id(), staff, subject, action,
        Dates.date(call, "from").map(d -> d.atStartOfDay(zone).toInstant()).orElse(null),
        Dates.date(call, "to").map(d -> d.plusDays(1).atStartOfDay(zone).toInstant()).orElse(null), keyset.before());
    List<AccessLog.Recorded> found = access.search(query, limit + 1);
    boolean more = found.size() > limit;
    List<AccessLog.Recorded> page = more ? found.subList(0, limit) : found;
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("records", page.stream().map(this::view).toList());
    answer.put("nextCursor", more ? String.valueOf(page.get(page.size() - 1).id()) : null);
    return ApiResponse.ok(answer);
  }

  /** {@code from} and {@code to} (days, at most a year apart) and a {@code reason}: the period's records as CSV. */
  private ApiResponse export(Call call) {
    String reason = AccessRecord.reason(call.query("reason").orElse(null));
    Tenant tenant = tenant(call);
    ZoneId zone = zone(call, tenant);
    LocalDate from = Dates.requiredDate(call, "from");
    LocalDate to = Dates.requiredDate(call, "to");
    if (to.isBefore(from) || from.plusDays(MAX_EXPORT_DAYS).isBefore(to)) {
      throw Fields.invalid("to", "must be from 'from' to a year after it");
    }
    List<AccessLog.Recorded> records = period(tenant, from.atStartOfDay(zone), to.plusDays(1).atStartOfDay(zone));
    String scope = tenant == null ? "all tenants" : "tenant " + tenant.code();
    access.record(AccessRecord.of(new Reader(call.principal(), call.request().remoteAddress()),
        tenant == null ? null : tenant.id(), null, "access-log.export", records.size() + " access records of "
        + scope + ", " + from + ".." + to, List.of(), reason));
    String name = "sangdam-access-log-" + (tenant == null ? "all" : tenant.code()) + "-" + from + "-" + to + ".csv";
    return ApiResponse.ok(new ApiResponse.FileBody(csv(records, zone), "text/csv; charset=utf-8", name, false));
  }

  private List<AccessLog.Recorded> period(Tenant tenant, ZonedDateTime from, ZonedDateTime to) {
    List<AccessLog.Recorded> records = access.period(tenant == null ? null : tenant.id(), from.toInstant(),
        to.toInstant(), MAX_PERIOD + 1);
    if (records.size() > MAX_PERIOD) {
      throw Fields.invalid("to", "gives more than " + MAX_PERIOD + " access records: choose a shorter period");
    }
    return records;
  }

  /** {@code month} ({@code 2026-11}): the month's unusual access, in the tenant's time zone (or {@code timezone}). */
  private ApiResponse report(Call call) {
    Tenant tenant = tenant(call);
    ZoneId zone = zone(call, tenant);
    YearMonth month = call.query("month").map(m -> {
      try {
        return YearMonth.parse(m);
      } catch (DateTimeException e) {
        throw Fields.invalid("month", "must be a month such as 2026-11");
      }
    }).orElseThrow(() -> Fields.missing("month"));
    List<AccessLog.Recorded> records = period(tenant, month.atDay(1).atStartOfDay(zone),
        month.plusMonths(1).atDay(1).atStartOfDay(zone));
    AccessReport report = AccessReport.of(records, offHours(), bulkExportSubjects);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("month", month.toString());
    answer.put("tenant", tenant == null ? null : tenant.code());
    answer.put("records", report.records());
    answer.put("median", report.median());
    answer.put("farAboveFactor", AccessReport.FACTOR);
    answer.put("bulkExportSubjects", bulkExportSubjects);
    answer.put("staff", report.staff().stream().map(s -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("staff", s.actorName());
      row.put("name", s.actorId() == null ? null : directory.user(s.actorId()).map(User::name).orElse(null));
      row.put("reads", s.reads());
      row.put("subjects", s.subjects());
      row.put("offHours", s.offHours());
      row.put("farAboveMedian", s.farAboveMedian());
      return row;
    }).toList());
    answer.put("offHours", report.offHours().stream().map(this::view).toList());
    answer.put("bulkExports", report.bulkExports().stream().map(this::view).toList());
    return ApiResponse.ok(answer);
  }

  /**
   * Whether a record was made while its center was closed; a record that spans centers (an admin's search of a
   * tenant) is judged by the reader's own center, and one with neither is not judged.
   */
  private Predicate<AccessLog.Recorded> offHours() {
    return r -> Optional.ofNullable(r.record().centerId())
        .or(() -> Optional.ofNullable(r.record().actorId()).flatMap(directory::user).map(User::centerId))
        .flatMap(directory::center).map(center -> !center.isOpen(r.at())).orElse(false);
  }

  private Map<String, Object> view(AccessLog.Recorded r) {
    AccessRecord a = r.record();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", r.id());
    out.put("at", r.at().toString());
    out.put("tenant", a.tenantId() == null ? null : directory.tenant(a.tenantId()).map(Tenant::code).orElse(null));
    out.put("center", a.centerId() == null ? null : directory.center(a.centerId()).map(Center::code).orElse(null));
    out.put("staff", a.actorName());
    out.put("address", a.address());
    out.put("action", a.action());
    out.put("object", a.object());
    out.put("subjects", a.subjects());
    out.put("reason", a.reason());
    return out;
  }

  /** As the other CSV exports: UTF-8 with a byte-order mark for Excel, CRLF lines, times in {@code zone}. */
  private byte[] csv(List<AccessLog.Recorded> records, ZoneId zone) {
    StringBuilder out = new StringBuilder("\uFEFF");
    out.append("번호,시각,계열사,센터,직원,접속지,행위,대상,고객 번호,사유\r\n");
    for (AccessLog.Recorded r : records) {
      AccessRecord a = r.record();
      String[] cells = {String.valueOf(r.id()), r.at().atZone(zone).format(CSV_TIME),
          a.tenantId() == null ? "" : directory.tenant(a.tenantId()).map(Tenant::code).orElse(""),
          a.centerId() == null ? "" : directory.center(a.centerId()).map(Center::code).orElse(""), a.actorName(),
          a.address() == null ? "" : a.address(), a.action(), a.object(),
          String.join(" ", a.subjects().stream().map(String::valueOf).toList()), a.reason() == null ? "" : a.reason()};
      for (int i = 0; i < cells.length; i++) {
        out.append(i == 0 ? "" : ",").append(StatsEndpoints.cell(cells[i]));
      }
      out.append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
