package io.sangdam.api;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.callback.CallOutcome;
import io.sangdam.callback.Callback;
import io.sangdam.callback.CallbackFigures;
import io.sangdam.callback.CallbackSlots;
import io.sangdam.callback.CallbackState;
import io.sangdam.callback.CallbackStore;
import io.sangdam.callback.Callbacks;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.privacy.Masking;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Callback requests (콜백 예약): the agents' queue of due ones, a claim and the call's outcome (agents and center
 * managers of the request's center), the managers' list, and {@code GET /api/stats/callbacks}. The number is shown
 * masked to everyone but the agent holding the claim.
 */
public final class CallbackEndpoints implements Endpoints {
  private static final String CALLBACKS = "/api/tenants/{tenant}/callbacks";
  private static final int MAX_NOTE = 1000;
  private static final int MAX_DAYS = 366;

  private final Directory directory;
  private final Callbacks callbacks;
  private final AuditLog audit;

  public CallbackEndpoints(Directory directory, Callbacks callbacks, AuditLog audit) {
    this.directory = directory;
    this.callbacks = callbacks;
    this.audit = audit;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route("GET", CALLBACKS, true, this::list),
        new Route("POST", CALLBACKS + "/{id}/claim", true, this::claim),
        new Route("POST", CALLBACKS + "/{id}/outcome", true, this::outcome),
        new Route("GET", "/api/stats/callbacks", true, this::stats));
  }

  /**
   * {@code view=queue}: the caller's queue of due requests in their center (center users only); otherwise the
   * requests in scope, narrowed by {@code center}, {@code queue}, {@code state} and the slot's local days
   * {@code from} to {@code to}, latest slot first, paged by {@code limit} (default 100, at most 500) and {@code offset}.
   */
  private ApiResponse list(Call call) {
    Principal p = call.principal();
    Access.require(p, Permission.CALLBACKS_HANDLE);
    Tenant tenant = Scope.tenant(directory, call);
    Instant now = callbacks.now();
    String view = call.query("view").orElse("all");
    if (view.equals("queue")) {
      Center center = ownCenter(p);
      return ApiResponse.ok(callbacks.queueFor(center.id(), serves(p, center), p.id()).stream()
          .map(c -> view(c, p, now)).toList());
    }
    if (!view.equals("all")) {
      throw Fields.invalid("view", "must be queue or all");
    }
    Center center = call.query("center").map(code -> Access.requireCenter(p,
        directory.center(tenant.id(), code.toLowerCase(Locale.ROOT)).orElse(null), code)).orElse(null);
    if (center == null && p.centerId() != null) {
      center = directory.center(p.centerId()).orElseThrow(() -> SangdamException.notFound("center"));
    }
    Center inCenter = center;
    Queue queue = call.query("queue").map(code -> {
      if (inCenter == null) {
        throw Fields.invalid("queue", "needs center");
      }
      return directory.queue(inCenter.id(), code.toLowerCase(Locale.ROOT))
          .orElseThrow(() -> SangdamException.notFound("queue '" + code + "'"));
    }).orElse(null);
    CallbackState state = call.query("state").map(s -> {
      try {
        return CallbackState.valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw Fields.invalid("state", "must be OPEN, CLAIMED or DONE");
      }
    }).orElse(null);
    ZoneId zone = Dates.zone(call, directory, tenant.id(), center);
    Instant from = Dates.date(call, "from").map(d -> d.atStartOfDay(zone).toInstant()).orElse(null);
    Instant to = Dates.date(call, "to").map(d -> d.plusDays(1).atStartOfDay(zone).toInstant()).orElse(null);
    Paging.Window window = Paging.window(call);
    List<Callback> found = callbacks.list(new CallbackStore.Filter(tenant.id(), center == null ? null : center.id(),
        queue == null ? null : queue.id(), state, from, to, window.offset(), window.limit()));
    return ApiResponse.ok(found.stream().map(c -> view(c, p, now)).toList());
  }

  private ApiResponse claim(Call call) {
    Principal p = call.principal();
    Callback c = ownCenters(call);
    return ApiResponse.ok(view(callbacks.claim(c, p.id(), p.user().username(), call.request().remoteAddress()), p,
        callbacks.now()));
  }

  /** {@code {"outcome":"reached"|"no_answer"|"wrong_number"|"cancelled","note"?,"retryAt"?}}. */
  private ApiResponse outcome(Call call) {
    Principal p = call.principal();
    Fields body = call.body();
    String wire = body.string("outcome", 32);
    CallOutcome outcome = CallOutcome.ofWire(wire).orElseThrow(() -> Fields.invalid("outcome",
        "must be reached, no_answer, wrong_number or cancelled"));
    String note = body.optString("note", MAX_NOTE).map(String::strip).filter(n -> !n.isEmpty()).orElse(null);
    Instant retryAt = body.optString("retryAt", 64).map(value -> {
      try {
        return Instant.parse(value);
      } catch (DateTimeException e) {
        throw Fields.invalid("retryAt", "must be an ISO-8601 instant such as 2026-12-03T01:30:00Z");
      }
    }).orElse(null);
    Callback c = ownCenters(call);
    return ApiResponse.ok(view(callbacks.recordOutcome(c, p.id(), outcome, note, retryAt), p, callbacks.now()));
  }

  /** The request of the path, when it is of the caller's own center; else not found, as if it did not exist. */
  private Callback ownCenters(Call call) {
    Principal p = call.principal();
    Tenant tenant = Scope.tenant(directory, call);
    Center center = ownCenter(p);
    long id = Scope.id(call, "id", "callback");
    Set<Long> queues = serves(p, center);
    return callbacks.find(tenant.id(), id).filter(c -> c.centerId() == center.id() && queues.contains(c.queueId()))
        .orElseThrow(() -> SangdamException.notFound("callback " + id));
  }

  /** The queues whose callbacks the caller makes: an agent's own, every queue of the center for its manager. */
  private Set<Long> serves(Principal p, Center center) {
    return p.role() == Role.AGENT ? p.user().queueIds()
        : directory.queues(center.id()).stream().map(Queue::id).collect(Collectors.toSet());
  }

  /** The caller's center: only the people of a center call its customers back. */
  private Center ownCenter(Principal p) {
    Access.require(p, Permission.CALLBACKS_HANDLE);
    return Optional.ofNullable(p.centerId()).flatMap(directory::center)
        .orElseThrow(() -> new SangdamException(ErrorCode.FORBIDDEN, "only a center's people call back"));
  }

  private Map<String, Object> view(Callback c, Principal p, Instant now) {
    boolean mine = c.state() == CallbackState.CLAIMED && Long.valueOf(p.id()).equals(c.claimedBy());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", c.id());
    out.put("center", directory.center(c.centerId()).map(Center::code).orElse(null));
    out.put("centerName", directory.center(c.centerId()).map(Center::name).orElse(null));
    out.put("queue", directory.queue(c.queueId()).map(Queue::code).orElse(null));
    out.put("queueName", directory.queue(c.queueId()).map(Queue::name).orElse(null));
    out.put("customer", Map.of("id", c.customerId(), "name", mine ? c.customerName() : Masking.name(c.customerName())));
    out.put("phone", mine ? c.phone() : Masking.contact(c.phone()));
    out.put("note", c.customerNote());
    out.put("source", c.conversationId() == null ? "widget" : "bot");
    out.put("slotAt", c.slotAt().toString());
    out.put("timezone", directory.center(c.centerId()).map(center -> CallbackSlots.zone(center).getId()).orElse(null));
    out.put("dueAt", c.dueAt().toString());
    out.put("state", c.state().name());
    out.put("due", c.state() == CallbackState.OPEN && !c.dueAt().isAfter(now));
    out.put("overdue", c.overdue(now));
    out.put("claimedBy", c.claimedBy() == null ? null : directory.user(c.claimedBy())
        .map(u -> Map.of("username", u.username(), "name", u.name())).orElse(null));
    out.put("mine", mine);
    out.put("attempts", c.attempts());
    out.put("outcome", c.outcome() == null ? null : c.outcome().wire());
    out.put("outcomeNote", c.outcomeNote());
    out.put("createdAt", c.createdAt().toString());
    out.put("doneAt", c.doneAt() == null ? null : c.doneAt().toString());
    return out;
  }

  /**
   * The figures of the requests whose slot falls on the local days {@code from} to {@code to} (at most a year), per
   * day, center and queue, and in total; as CSV with {@code format=csv} (audited, as every export).
   */
  private ApiResponse stats(Call call) {
    Principal p = call.principal();
    Access.require(p, Permission.STATS_READ);
    String scope = call.query("scope").orElseThrow(() -> Fields.missing("scope"));
    String[] parts = scope.toLowerCase(Locale.ROOT).split("/", -1);
    if (parts.length > 3) {
      throw Fields.invalid("scope", "must be tenant, tenant/center or tenant/center/queue");
    }
    Tenant tenant = Access.requireTenant(p, directory.tenantByCode(parts[0]).orElse(null), parts[0]);
    Center center = parts.length < 2 ? null
        : Access.requireCenter(p, directory.center(tenant.id(), parts[1]).orElse(null), parts[1]);
    if (center == null && (p.role() == Role.CENTER_MANAGER || p.role() == Role.AGENT)) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "a center manager sees the statistics of their own center");
    }
    Queue queue = parts.length < 3 ? null : directory.queue(center.id(), parts[2])
        .orElseThrow(() -> SangdamException.notFound("queue '" + parts[2] + "'"));
    LocalDate from = Dates.requiredDate(call, "from");
    LocalDate to = Dates.requiredDate(call, "to");
    if (to.isBefore(from) || from.plusDays(MAX_DAYS).isBefore(to)) {
      throw Fields.invalid("to", "must be from 'from' to a year after it");
    }
    boolean csv = call.query("format").map(f -> switch (f) {
      case "json" -> false;
      case "csv" -> true;
      default -> throw Fields.invalid("format", "must be json or csv");
    }).orElse(false);
    ZoneId zone = Dates.zone(call, directory, tenant.id(), center);
    CallbackFigures.Report report = CallbackFigures.of(callbacks.forFigures(tenant.id(),
        center == null ? null : center.id(), queue == null ? null : queue.id(), from.atStartOfDay(zone).toInstant(),
        to.plusDays(1).atStartOfDay(zone).toInstant()), callbacks.now(),
        centerId -> directory.center(centerId).map(c -> ZoneId.of(c.timezone())).orElse(zone));
    String scopeName = String.join("/", parts);
    if (csv) {
      audit.record(new AuditEntry(p.id(), p.user().username(), tenant.id(), center == null ? null : center.id(),
          "stats.export", scopeName, from + ".." + to + " callbacks", call.request().remoteAddress()));
      String name = "sangdam-callbacks-" + scopeName.replace('/', '-') + "-" + from + "-" + to + ".csv";
      return ApiResponse.ok(new ApiResponse.FileBody(csv(report), "text/csv; charset=utf-8", name, false));
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("scope", scopeName);
    answer.put("from", from.toString());
    answer.put("to", to.toString());
    answer.put("rows", report.rows().stream().map(r -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("day", r.day().toString());
      row.put("center", directory.center(r.centerId()).map(Center::code).orElse(null));
      row.put("centerName", directory.center(r.centerId()).map(Center::name).orElse(null));
      row.put("queue", directory.queue(r.queueId()).map(Queue::code).orElse(null));
      row.put("queueName", directory.queue(r.queueId()).map(Queue::name).orElse(null));
      row.putAll(figures(r.figures()));
      return row;
    }).toList());
    answer.put("total", figures(report.total()));
    return ApiResponse.ok(answer);
  }

  private static Map<String, Object> figures(CallbackFigures f) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requested", f.requested());
    out.put("completed", f.completed());
    out.put("reached", f.reached());
    out.put("reachedRate", f.reachedRate());
    out.put("overdue", f.overdue());
    out.put("noAnswer", f.noAnswer());
    return out;
  }

  /** As the other statistics' CSV: UTF-8 with a byte-order mark, CRLF lines; one row per day and queue, then the total. */
  private byte[] csv(CallbackFigures.Report report) {
    StringBuilder out = new StringBuilder("\uFEFF");
    out.append("날짜,센터,상담 유형,콜백 요청,완료,통화 성공,통화 성공률,기한 초과,부재중\r\n");
    for (CallbackFigures.Row r : report.rows()) {
      line(out, r.day().toString(), StatsEndpoints.cell(directory.center(r.centerId()).map(Center::name).orElse("")),
          StatsEndpoints.cell(directory.queue(r.queueId()).map(Queue::name).orElse("")), r.figures());
    }
    line(out, "합계", "", "", report.total());
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void line(StringBuilder out, String day, String center, String queue, CallbackFigures f) {
    out.append(day).append(',').append(center).append(',').append(queue).append(',').append(f.requested())
        .append(',').append(f.completed()).append(',').append(f.reached()).append(',')
        .append(f.reachedRate() == null ? "" : f.reachedRate()).append(',').append(f.overdue()).append(',')
        .append(f.noAnswer()).append("\r\n");
  }
}
