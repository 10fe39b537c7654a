package io.sangdam.dashboard;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;
import io.sangdam.routing.CenterLoad;
import io.sangdam.routing.CenterLoads;
import io.sangdam.stats.StatisticsStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Builds the dashboard for a caller's scope: HQ every tenant, a tenant admin their tenant, a
 * center manager their center; agents none. The live figures come from the routing engines' state
 * at the moment of asking, never from a query over conversations; "today" from the statistics
 * roll-ups, read at most every few seconds per tenant. One center (a manager's own, or one
 * drilled into) also lists its agents. Blocks while the engines and the database answer.
 */
public final class Dashboard {
  private static final long ENGINE_TIMEOUT_MILLIS = 2_000;
  private final Directory directory;
  private final CenterLoads loads;
  private final StatisticsStore statistics;
  private final AlertThresholds thresholds;
  private final Clock clock;
  /** Who works in each center, for the agents who are offline (the engines know only those who came). */
  private final Cache<Long, Map<Long, List<User>>> rosters = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofSeconds(10)).build();
  /** Each tenant's roll-ups of the last two days, per center and hour: every zone's today lies in them. */
  private final Cache<Long, List<StatisticsStore.CenterHour>> recentHours = Caffeine.newBuilder()
      .expireAfterWrite(Duration.ofSeconds(5)).build();

  public Dashboard(Directory directory, CenterLoads loads, StatisticsStore statistics, AlertThresholds thresholds,
      Clock clock) {
    this.directory = requireNonNull(directory, "directory");
    this.loads = requireNonNull(loads, "loads");
    this.statistics = requireNonNull(statistics, "statistics");
    this.thresholds = requireNonNull(thresholds, "thresholds");
    this.clock = requireNonNull(clock, "clock");
  }

  /** What a caller may watch: their whole scope, or one center in it ({@code tenant/center}). */
  public record Subject(Principal principal, Optional<String> center) {}

  /** Checks the caller and the center named, before anything is built or subscribed. */
  public Subject subject(Principal p, Optional<String> centerPath) {
    Access.require(p, Permission.DASHBOARD_READ);
    centerPath.ifPresent(path -> drillDown(p, path));
    return new Subject(p, centerPath);
  }

  public ServerMessage.Dashboard view(Subject subject, JsonNode rid) {
    Principal p = subject.principal();
    Instant now = clock.instant();
    Map<Tenant, List<Center>> scope = new LinkedHashMap<>();
    if (subject.center().isPresent()) {
      Center c = drillDown(p, subject.center().get());
      scope.put(directory.tenant(c.tenantId()).orElseThrow(), List.of(c));
    } else if (p.role() == Role.CENTER_MANAGER) {
      Center c = directory.center(p.centerId()).orElseThrow();
      scope.put(directory.tenant(c.tenantId()).orElseThrow(), List.of(c));
    } else {
      List<Tenant> tenants = p.role() == Role.HQ_ADMIN ? directory.tenants()
          : List.of(directory.tenant(p.tenantId()).orElseThrow());
      tenants.forEach(t -> scope.put(t, directory.centers(t.id())));
    }
    boolean details = scope.size() == 1 && scope.values().iterator().next().size() == 1;
    Map<Long, CompletableFuture<CenterLoad>> live = new HashMap<>();
    // An engine that cannot answer in time shows its center empty rather than hold this thread.
    scope.values().forEach(centers -> centers.forEach(c -> live.put(c.id(), loads.load(c.id())
        .completeOnTimeout(CenterLoad.empty(c.id()), ENGINE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .exceptionally(e -> CenterLoad.empty(c.id())))));
    List<ServerMessage.DashboardTenant> tenants = new ArrayList<>();
    Totals group = new Totals();
    scope.forEach((tenant, centers) -> {
      Map<Long, List<User>> roster = roster(tenant.id());
      List<StatisticsStore.CenterHour> hours = recentHours.get(tenant.id(),
          id -> statistics.centerHours(id, now.minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS)));
      Totals totals = new Totals();
      List<ServerMessage.DashboardCenter> views = new ArrayList<>();
      for (Center c : centers) {
        Today today = today(c, hours, now);
        ServerMessage.DashboardCenter view = center(c, live.get(c.id()).join(), roster.getOrDefault(c.id(), List.of()),
            today.view(), details, now);
        totals.add(view, today);
        group.add(view, today);
        views.add(view);
      }
      tenants.add(new ServerMessage.DashboardTenant(tenant.code(), tenant.name(), views, totals.view()));
    });
    // The group's totals where the scope is more than one tenant: HQ's.
    return new ServerMessage.Dashboard(rid, now.truncatedTo(ChronoUnit.SECONDS).toString(), tenants,
        tenants.size() > 1 ? group.view() : null);
  }

  /** A center's figures of today, with the conversations answered within target that its service level counts. */
  private record Today(long offered, long handled, long abandoned, long inTarget) {
    ServerMessage.DashboardToday view() {
      return new ServerMessage.DashboardToday(offered, handled, abandoned, serviceLevel(inTarget, offered));
    }
  }

  private static Double serviceLevel(long inTarget, long offered) {
    return offered == 0 ? null : Math.round(10_000.0 * inTarget / offered) / 10_000.0;
  }

  /** Centers' figures added up as {@link ServerMessage.DashboardTotals} says. */
  private static final class Totals {
    private int centers;
    private int waiting;
    private long longest;
    private int inProgress;
    private int online;
    private int away;
    private int offline;
    private long offered;
    private long handled;
    private long abandoned;
    private long inTarget;

    void add(ServerMessage.DashboardCenter c, Today today) {
      centers++;
      waiting += c.waiting();
      longest = Math.max(longest, c.longestWaitSeconds());
      inProgress += c.inProgress();
      online += c.agents().online();
      away += c.agents().away();
      offline += c.agents().offline();
      offered += today.offered();
      handled += today.handled();
      abandoned += today.abandoned();
      inTarget += today.inTarget();
    }

    ServerMessage.DashboardTotals view() {
      return new ServerMessage.DashboardTotals(centers, waiting, longest, inProgress,
          new ServerMessage.AgentCounts(online, away, offline),
          new Today(offered, handled, abandoned, inTarget).view());
    }
  }

  private Center drillDown(Principal p, String path) {
    String[] parts = path.toLowerCase(Locale.ROOT).split("/", -1);
    if (parts.length != 2) {
      throw Fields.invalid("center", "must be tenant/center");
    }
    Tenant tenant = Access.requireTenant(p, directory.tenantByCode(parts[0]).orElse(null), parts[0]);
    return Access.requireCenter(p, directory.center(tenant.id(), parts[1]).orElse(null), parts[1]);
  }

  /**
   * The center's conversations created since its local midnight that have ended, as statistics
   * count them (an hour counts when it starts after midnight; in a half-hour zone the first half
   * hour of the day is left out).
   */
  private static Today today(Center center, List<StatisticsStore.CenterHour> hours, Instant now) {
    ZoneId zone = ZoneId.of(center.timezone());
    Instant midnight = LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
    long offered = 0;
    long handled = 0;
    long abandoned = 0;
    long inTarget = 0;
    for (StatisticsStore.CenterHour h : hours) {
      if (h.centerId() == center.id() && !h.hour().isBefore(midnight)) {
        offered += h.offered();
        handled += h.handled();
        abandoned += h.abandoned();
        inTarget += h.answeredInTarget();
      }
    }
    return new Today(offered, handled, abandoned, inTarget);
  }

  private ServerMessage.DashboardCenter center(Center center, CenterLoad load, List<User> roster,
      ServerMessage.DashboardToday today, boolean details, Instant now) {
    Map<Long, CenterLoad.QueueLoad> byQueue = new HashMap<>();
    load.queues().forEach(q -> byQueue.put(q.queueId(), q));
    List<ServerMessage.DashboardQueue> queues = new ArrayList<>();
    int waiting = 0;
    int inProgress = 0;
    long longest = 0;
    for (Queue queue : directory.queues(center.id())) {
      CenterLoad.QueueLoad q = byQueue.getOrDefault(queue.id(), new CenterLoad.QueueLoad(queue.id(), 0, 0, null));
      long wait = q.oldestWaitingSince() == null ? 0 : Math.max(0, Duration.between(q.oldestWaitingSince(), now)
          .toSeconds());
      Optional<AlertThreshold> limit = thresholds.queue(center.id(), queue.id());
      queues.add(new ServerMessage.DashboardQueue(queue.code(), queue.name(), q.waiting(), wait, q.inProgress(),
          limit.map(Dashboard::threshold).orElse(null), alerts(limit, q.waiting(), wait)));
      waiting += q.waiting();
      inProgress += q.inProgress();
      longest = Math.max(longest, wait);
    }
    Map<Long, CenterLoad.AgentLoad> present = new HashMap<>();
    load.agents().forEach(a -> present.put(a.agentId(), a));
    int online = 0;
    int away = 0;
    List<ServerMessage.DashboardAgent> agents = new ArrayList<>();
    for (User user : roster) {
      CenterLoad.AgentLoad a = present.get(user.id());
      String status = a == null ? "OFFLINE" : a.status();
      online += status.equals("ONLINE") ? 1 : 0;
      away += status.equals("AWAY") ? 1 : 0;
      if (details) {
        agents.add(new ServerMessage.DashboardAgent(user.username(), user.name(), status,
            a == null ? null : a.awayReason(), a == null ? 0 : a.open(),
            a == null ? 0 : Math.max(0, Duration.between(a.since(), now).toSeconds())));
      }
    }
    Optional<AlertThreshold> limit = thresholds.center(center.id());
    return new ServerMessage.DashboardCenter(center.code(), center.name(), center.isOpen(now), waiting, longest,
        inProgress, new ServerMessage.AgentCounts(online, away, roster.size() - online - away), today, queues,
        details ? agents : null, limit.map(Dashboard::threshold).orElse(null), alerts(limit, waiting, longest));
  }

  private static ServerMessage.DashboardThreshold threshold(AlertThreshold t) {
    return new ServerMessage.DashboardThreshold(t.waiting(), t.longestWaitSeconds());
  }

  /** The figures past their limits: {@code waiting}, {@code longestWait}. */
  private static List<String> alerts(Optional<AlertThreshold> limit, int waiting, long longestWaitSeconds) {
    List<String> out = new ArrayList<>(2);
    limit.ifPresent(t -> {
      if (t.waitingPassed(waiting)) {
        out.add("waiting");
      }
      if (t.waitPassed(longestWaitSeconds)) {
        out.add("longestWait");
      }
    });
    return List.copyOf(out);
  }

  /** The enabled agents of each center of a tenant. */
  private Map<Long, List<User>> roster(long tenantId) {
    return rosters.get(tenantId, id -> {
      Map<Long, List<User>> byCenter = new HashMap<>();
      for (User u : directory.users(id)) {
        if (u.role() == Role.AGENT && u.enabled() && u.centerId() != null) {
          byCenter.computeIfAbsent(u.centerId(), c -> new ArrayList<>()).add(u);
        }
      }
      return byCenter;
    });
  }
}
