package io.sangdam.api;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.channel.Channels;
import io.sangdam.directory.AwayReason;
import io.sangdam.directory.AwayReasons;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.stats.BotFigures;
import io.sangdam.stats.BotStatistics;
import io.sangdam.stats.BotStatisticsStore;
import io.sangdam.stats.Figures;
import io.sangdam.stats.Statistics;
import io.sangdam.stats.StatisticsStore;
import io.sangdam.stats.StatusTimes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/stats}: a tenant's, center's or queue's figures (optionally one agent's) per
 * hour or day, as JSON or as CSV for Excel; {@code GET /api/stats/bot}: the bot's figures of the same
 * scopes, optionally of one scenario; {@code GET /api/stats/agent-status}: each agent's time in each
 * status and away reason; {@code GET /api/stats?scope=*} and {@code /api/stats/compare}: the group and centers
 * side by side ({@link GroupStats}). Managers see their center, tenant admins their tenant, HQ everything;
 * agents none. Every CSV export is audited.
 */
public final class StatsEndpoints implements Endpoints {
  private static final DateTimeFormatter CSV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private final Directory directory;
  private final Statistics statistics;
  private final BotStatistics botStatistics;
  private final AuditLog audit;
  private final ChannelFilter channels;
  private final AwayReasons awayReasons;
  private final Clock clock;
  private final GroupStats group;

  public StatsEndpoints(Directory directory, Statistics statistics, BotStatistics botStatistics, AuditLog audit,
      Channels channels, AwayReasons awayReasons, Clock clock) {
    this.directory = directory;
    this.statistics = statistics;
    this.botStatistics = botStatistics;
    this.audit = audit;
    this.channels = new ChannelFilter(channels);
    this.awayReasons = awayReasons;
    this.clock = clock;
    this.group = new GroupStats(directory, statistics, audit, this.channels);
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route("GET", "/api/stats", true, this::stats),
        new Route("GET", "/api/stats/bot", true, this::botStats),
        new Route("GET", "/api/stats/agent-status", true, this::agentStatus),
        new Route("GET", "/api/stats/compare", true, group::compare));
  }

  /** One agent's row of the status report. */
  private record StatusRow(User agent, String center, StatusTimes.AgentTimes times) {}

  /**
   * Per agent of a tenant's or center's scope (its agents, and whoever else had a status there in the
   * range), the seconds ONLINE, AWAY (in all and per away reason of the tenant, disabled ones included)
   * and OFFLINE over the local days {@code from} to {@code to}, up to now.
   */
  private ApiResponse agentStatus(Call call) {
    Principal p = call.principal();
    Access.require(p, Permission.STATS_READ);
    Subject subject = subject(call, p);
    if (subject.queue() != null || subject.agent() != null || subject.channels() != null) {
      throw Fields.invalid("scope", "must be tenant or tenant/center: agents' times are per center");
    }
    LocalDate from = Dates.requiredDate(call, "from");
    LocalDate to = Dates.requiredDate(call, "to");
    boolean csv = csv(call);
    Long centerId = subject.center() == null ? null : subject.center().id();
    Statistics.StatusReport report = statistics.statusTimes(subject.tenant().id(), centerId, from, to, subject.zone(),
        clock.instant());
    List<AwayReason> reasons = awayReasons.all(subject.tenant().id());
    List<StatusRow> rows = statusRows(subject, centerId, report);
    if (csv) {
      audit.record(new AuditEntry(p.id(), p.user().username(), subject.tenant().id(), centerId, "stats.export",
          subject.scope(), from + ".." + to + " agent-status", call.request().remoteAddress()));
      String name = "sangdam-agent-status-" + subject.scope().replace('/', '-') + "-" + from + "-" + to + ".csv";
      return ApiResponse.ok(new ApiResponse.FileBody(statusCsv(rows, reasons), "text/csv; charset=utf-8", name,
          false));
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("scope", subject.scope());
    answer.put("from", from.toString());
    answer.put("to", to.toString());
    answer.put("timezone", subject.zone().getId());
    answer.put("reasons", reasons.stream().map(AwayReasonEndpoints::view).toList());
    answer.put("agents", rows.stream().map(r -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("username", r.agent().username());
      row.put("name", r.agent().name());
      row.put("center", r.center());
      row.put("onlineSeconds", r.times().onlineSeconds());
      row.put("awaySeconds", r.times().awaySeconds());
      Map<String, Long> byReason = new LinkedHashMap<>();
      reasons.forEach(reason -> byReason.put(reason.code(), r.times().awayByReason().getOrDefault(reason.code(), 0L)));
      row.put("awayByReason", byReason);
      row.put("awayWithoutReasonSeconds", r.times().awayWithoutReasonSeconds());
      row.put("offlineSeconds", r.times().offlineSeconds());
      return row;
    }).toList());
    return ApiResponse.ok(answer);
  }

  /** The scope's agents (by center, then username), each with their times; one who had none was OFFLINE throughout. */
  private List<StatusRow> statusRows(Subject subject, Long centerId, Statistics.StatusReport report) {
    Map<Long, User> agents = new LinkedHashMap<>();
    directory.users(subject.tenant().id()).stream()
        .filter(u -> u.role() == Role.AGENT && u.enabled() && u.centerId() != null)
        .filter(u -> centerId == null || centerId.equals(u.centerId()))
        .forEach(u -> agents.put(u.id(), u));
    report.agents().keySet().forEach(id -> directory.user(id).ifPresent(u -> agents.putIfAbsent(id, u)));
    return agents.values().stream()
        .map(u -> new StatusRow(u, u.centerId() == null ? null
            : directory.center(u.centerId()).map(Center::code).orElse(null),
            report.agents().getOrDefault(u.id(), StatusTimes.AgentTimes.offline(u.id(), report.spanSeconds()))))
        .sorted(Comparator.comparing((StatusRow r) -> r.center() == null ? "" : r.center())
            .thenComparing(r -> r.agent().username()))
        .toList();
  }

  /** As {@link #csv}: UTF-8 with a byte-order mark, CRLF lines, one row per agent, seconds in each column. */
  static byte[] statusCsv(List<StatusRow> rows, List<AwayReason> reasons) {
    StringBuilder out = new StringBuilder("\uFEFF");
    out.append("상담원,이름,센터,온라인(초),이석(초)");
    reasons.forEach(r -> out.append(',').append(cell("이석: " + r.name() + "(초)")));
    out.append(",이석: 사유 없음(초),오프라인(초)\r\n");
    for (StatusRow row : rows) {
      StatusTimes.AgentTimes t = row.times();
      out.append(cell(row.agent().username())).append(',').append(cell(row.agent().name())).append(',')
          .append(row.center() == null ? "" : row.center()).append(',').append(t.onlineSeconds()).append(',')
          .append(t.awaySeconds());
      reasons.forEach(r -> out.append(',').append(t.awayByReason().getOrDefault(r.code(), 0L)));
      out.append(',').append(t.awayWithoutReasonSeconds()).append(',').append(t.offlineSeconds())
          .append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * What the {@code scope}, {@code agent}, {@code channel} and {@code channelKind} parameters name, checked
   * against the caller's scope; {@code channels} null when neither channel parameter is given.
   */
  private record Subject(String scope, Tenant tenant, Center center, Queue queue, User agent, Set<String> channels,
      String channelFilter, ZoneId zone) {
    StatisticsStore.Filter filter() {
      return new StatisticsStore.Filter(tenant.id(), center == null ? null : center.id(),
          queue == null ? null : queue.id(), agent == null ? null : agent.id(), channels);
    }
  }

  private ApiResponse stats(Call call) {
    Principal p = call.principal();
    Access.require(p, Permission.STATS_READ);
    if (GroupStats.asked(call)) {
      return group.report(call, call.query("interval").map(StatsEndpoints::interval).orElse(Statistics.Interval.DAY),
          csv(call));
    }
    Subject subject = subject(call, p);
    LocalDate from = Dates.requiredDate(call, "from");
    LocalDate to = Dates.requiredDate(call, "to");
    Statistics.Interval interval = call.query("interval").map(StatsEndpoints::interval).orElse(Statistics.Interval.DAY);
    boolean csv = csv(call);
    Statistics.Report report = statistics.report(subject.filter(), from, to, interval, subject.zone());
    if (csv) {
      audit.record(new AuditEntry(p.id(), p.user().username(), subject.tenant().id(),
          subject.center() == null ? null : subject.center().id(), "stats.export", subject.scope(),
          from + ".." + to + " " + interval.name().toLowerCase(Locale.ROOT)
              + (subject.agent() == null ? "" : " agent " + subject.agent().username()) + subject.channelFilter(),
          call.request().remoteAddress()));
      String name = "sangdam-stats-" + subject.scope().replace('/', '-') + "-" + from + "-" + to + ".csv";
      return ApiResponse.ok(new ApiResponse.FileBody(csv(report), "text/csv; charset=utf-8", name, false));
    }
    Map<String, Object> answer = head(call, subject, "agent",
        subject.agent() == null ? null : subject.agent().username(), from, to, interval);
    answer.put("intervals", report.intervals().stream()
        .map(r -> interval(r.start(), r.figures())).toList());
    answer.put("total", report.total());
    return ApiResponse.ok(answer);
  }

  /**
   * What a report's answer starts with, the same for the conversations' and the bot's: what it covers, with the
   * report's own filter ({@code filter}: {@code agent} or {@code scenario}) after the scope.
   */
  private static Map<String, Object> head(Call call, Subject subject, String filter, Object filterValue,
      LocalDate from, LocalDate to, Statistics.Interval interval) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("scope", subject.scope());
    answer.put(filter, filterValue);
    answer.put("channel", call.query("channel").map(c -> c.strip().toLowerCase(Locale.ROOT)).orElse(null));
    answer.put("channelKind", call.query("channelKind").map(k -> k.strip().toUpperCase(Locale.ROOT)).orElse(null));
    answer.put("from", from.toString());
    answer.put("to", to.toString());
    answer.put("interval", interval.name().toLowerCase(Locale.ROOT));
    answer.put("timezone", subject.zone().getId());
    return answer;
  }

  /**
   * One interval's row: when it starts, with its offset, and its figures. A record, not a map: a year by day writes
   * 365 of them, and a map per row was most of what the answer cost besides the query.
   */
  record IntervalRow(String start, Object figures) {}

  private static IntervalRow interval(ZonedDateTime start, Object figures) {
    return new IntervalRow(start.toOffsetDateTime().toString(), figures);
  }

  /**
   * The bot's report: the same scope, range, zone, interval, channel and format rules as {@link #stats}; no
   * {@code agent} (a bot's conversations are nobody's), and optionally one {@code scenario} (an id) of the tenant.
   */
  private ApiResponse botStats(Call call) {
    Principal p = call.principal();
    Access.require(p, Permission.STATS_READ);
    if (call.query("agent").isPresent()) {
      throw Fields.invalid("agent", "is not a filter of the bot's statistics: a bot's conversations are no agent's");
    }
    Subject subject = subject(call, p);
    Long scenario = call.query("scenario").map(given -> {
      if (!given.matches("[0-9]{1,18}")) {
        throw Fields.invalid("scenario", "must be a scenario's id");
      }
      long id = Long.parseLong(given);
      if (!botStatistics.hasScenario(subject.tenant().id(), id)) {
        throw SangdamException.notFound("scenario '" + given + "'");
      }
      return id;
    }).orElse(null);
    LocalDate from = Dates.requiredDate(call, "from");
    LocalDate to = Dates.requiredDate(call, "to");
    Statistics.Interval interval = call.query("interval").map(StatsEndpoints::interval).orElse(Statistics.Interval.DAY);
    boolean csv = csv(call);
    BotStatisticsStore.Filter filter = new BotStatisticsStore.Filter(subject.tenant().id(),
        subject.center() == null ? null : subject.center().id(), subject.queue() == null ? null : subject.queue().id(),
        scenario, subject.channels());
    BotStatistics.Report report = botStatistics.report(filter, from, to, interval, subject.zone());
    if (csv) {
      audit.record(new AuditEntry(p.id(), p.user().username(), subject.tenant().id(),
          subject.center() == null ? null : subject.center().id(), "stats.export", subject.scope(),
          "bot " + from + ".." + to + " " + interval.name().toLowerCase(Locale.ROOT)
              + (scenario == null ? "" : " scenario " + scenario) + subject.channelFilter(),
          call.request().remoteAddress()));
      String name = "sangdam-bot-stats-" + subject.scope().replace('/', '-') + "-" + from + "-" + to + ".csv";
      return ApiResponse.ok(new ApiResponse.FileBody(botCsv(report), "text/csv; charset=utf-8", name, false));
    }
    Map<String, String> kinds = channels.kinds(subject.tenant().id());
    Map<String, Object> answer = head(call, subject, "scenario", scenario, from, to, interval);
    answer.put("intervals", report.intervals().stream()
        .map(r -> interval(r.start(), r.figures())).toList());
    answer.put("total", report.total());
    answer.put("scenarios", report.scenarios().stream().map(r -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", r.id());
      row.put("name", r.name());
      row.put("figures", r.figures());
      return row;
    }).toList());
    answer.put("channels", report.channels().stream().map(r -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("channel", r.channel());
      // A channel deleted since still has its figures; its kind is no longer known.
      row.put("kind", kinds.get(r.channel()));
      row.put("figures", r.figures());
      return row;
    }).toList());
    answer.put("faq", report.faq().stream().map(f -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", f.id());
      row.put("question", f.question());
      row.put("answered", f.answered());
      row.put("helpful", f.helpful());
      row.put("unhelpful", f.unhelpful());
      return row;
    }).toList());
    return ApiResponse.ok(answer);
  }

  /** Whether the caller asked for CSV, which is an export: it needs its own permission. */
  private static boolean csv(Call call) {
    boolean csv = call.query("format").map(f -> switch (f) {
      case "json" -> false;
      case "csv" -> true;
      default -> throw Fields.invalid("format", "must be json or csv");
    }).orElse(false);
    if (csv) {
      Access.require(call.principal(), Permission.STATS_EXPORT);
    }
    return csv;
  }

  private Subject subject(Call call, Principal p) {
    String scope = call.query("scope").orElseThrow(() -> Fields.missing("scope"));
    String[] parts = scope.toLowerCase(Locale.ROOT).split("/", -1);
    if (parts.length > 3) {
      throw Fields.invalid("scope", "must be tenant, tenant/center or tenant/center/queue");
    }
    Tenant tenant = Access.requireTenant(p, directory.tenantByCode(parts[0]).orElse(null), parts[0]);
    Center center = parts.length < 2 ? null
        : Access.requireCenter(p, directory.center(tenant.id(), parts[1]).orElse(null), parts[1]);
    // A center manager, and any custom role on a center's or an agent's base, sees the statistics of its centers.
    boolean centerBased = p.role() == Role.CENTER_MANAGER || p.role() == Role.AGENT;
    if (center == null && centerBased) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "a center manager sees the statistics of their own center");
    }
    Queue queue = parts.length < 3 ? null : directory.queue(center.id(), parts[2])
        .orElseThrow(() -> SangdamException.notFound("queue '" + parts[2] + "'"));
    User agent = call.query("agent").map(username -> directory.user(tenant.id(), username)
        .filter(u -> center == null || Long.valueOf(center.id()).equals(u.centerId()))
        .filter(u -> !centerBased || u.centerId() != null && Access.sees(p, tenant.id(), u.centerId()))
        .orElseThrow(() -> SangdamException.notFound("agent '" + username + "'"))).orElse(null);
    Set<String> channelCodes = channels.codes(call, tenant.id());
    String channelFilter = call.query("channel").map(c -> " channel " + c.strip().toLowerCase(Locale.ROOT)).orElse("")
        + call.query("channelKind").map(k -> " kind " + k.strip().toUpperCase(Locale.ROOT)).orElse("");
    return new Subject(String.join("/", parts), tenant, center, queue, agent, channelCodes, channelFilter,
        Dates.zone(call, directory, tenant.id(), center));
  }

  private static Statistics.Interval interval(String value) {
    return switch (value) {
      case "hour" -> Statistics.Interval.HOUR;
      case "day" -> Statistics.Interval.DAY;
      default -> throw Fields.invalid("interval", "must be hour or day");
    };
  }

  /**
   * UTF-8 with a byte-order mark and CRLF lines: what Excel needs to open Korean text correctly
   * by a double click. One row per interval, then the total.
   */
  static byte[] csv(Statistics.Report report) {
    StringBuilder out = new StringBuilder("\uFEFF");
    out.append("구간 시작,인입,응대,포기,포기율,평균 대기(초),90% 대기(초),서비스 레벨,평균 처리(초),평균 첫 응답(초),"
        + "이관,만족도 평균,만족도 응답 수\r\n");
    for (Statistics.Row row : report.intervals()) {
      line(out, row.start().format(CSV_TIME), row.figures());
    }
    line(out, "합계", report.total());
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The bot's report as {@link #csv} writes the figures: one row per interval, the total, then one per scenario
   * ({@code 시나리오 <name>}) and one per channel ({@code 채널 <code>}).
   */
  static byte[] botCsv(BotStatistics.Report report) {
    StringBuilder out = new StringBuilder("\uFEFF");
    out.append("구간 시작,봇 상담,봇 완결,봇 종료,문의 접수,봇 상담 중 이탈,상담원 연결,봇 완결률,상담원 연결률,FAQ 질문,"
        + "FAQ 즉시 답변,FAQ 추천,FAQ 추천 선택,FAQ 적중,FAQ 적중률,도움됨,도움 안 됨,도움됨 비율\r\n");
    for (BotStatistics.Row row : report.intervals()) {
      botLine(out, row.start().format(CSV_TIME), row.figures());
    }
    botLine(out, "합계", report.total());
    report.scenarios().forEach(s -> botLine(out, cell("시나리오 " + s.name()), s.figures()));
    report.channels().forEach(c -> botLine(out, "채널 " + c.channel(), c.figures()));
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void botLine(StringBuilder out, String label, BotFigures f) {
    Object[] cells = {label, f.conversations(), f.contained(), f.endedByBot(), f.inquiries(), f.leftWithBot(),
        f.handedOff(), f.containmentRate(), f.handOffRate(), f.faqQuestions(), f.faqAnswered(), f.faqSuggested(),
        f.faqChosen(), f.faqHits(), f.faqHitRate(), f.helpful(), f.unhelpful(), f.helpfulRate()};
    for (int i = 0; i < cells.length; i++) {
      out.append(i == 0 ? "" : ",").append(cells[i] == null ? "" : cells[i]);
    }
    out.append("\r\n");
  }

  /**
   * An admin's text as one CSV cell: quoted, quotes doubled; and, since Excel runs a cell that starts like a formula,
   * such a start is written after an apostrophe.
   */
  static String cell(String text) {
    String safe = text.isEmpty() || "=+-@\t\r".indexOf(text.charAt(0)) < 0 ? text : "'" + text;
    return "\"" + safe.replace("\"", "\"\"") + "\"";
  }

  static void line(StringBuilder out, String label, Figures f) {
    Object[] cells = {label, f.offered(), f.handled(), f.abandoned(), f.abandonRate(), f.avgWaitSeconds(),
        f.p90WaitSeconds(), f.serviceLevel(), f.avgHandleSeconds(), f.avgFirstResponseSeconds(), f.transfers(),
        f.csatAvg(), f.csatResponses()};
    for (int i = 0; i < cells.length; i++) {
      out.append(i == 0 ? "" : ",").append(cells[i] == null ? "" : cells[i]);
    }
    out.append("\r\n");
  }
}
