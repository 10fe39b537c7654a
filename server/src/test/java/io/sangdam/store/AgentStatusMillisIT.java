package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sangdam.stats.StatusTimes;
import io.sangdam.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The database's sums of agents' times in each status ({@code statusMillis}) against the computation they replace,
 * which read every change of the range and walked them in Java (kept here, as it was, as the reference): the same
 * answers on a week of changes of agents in two tenants, some of them in two centers, with changes at the same
 * millisecond, before, in and after each range, for tenant and center scopes and ranges cut anywhere.
 */
@ExtendWith(TestDatabase.class)
class AgentStatusMillisIT {
  private static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");
  /** Center to tenant. */
  private static final Map<Long, Long> CENTERS = Map.of(10L, 1L, 11L, 1L, 20L, 2L);

  private record Change(long id, long centerId, long agentId, String status, String reason, Instant at) {}

  @Test
  void theDatabasesSumsAreWhatWalkingEveryChangeGave(TestDatabase.Url url) throws SQLException {
    List<Change> changes;
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      changes = aWeekOfChanges(url);
      JdbcStatisticsStore store = new JdbcStatisticsStore(db);
      Random random = new Random(7);
      List<Instant[]> ranges = new ArrayList<>(List.of(new Instant[] {T0, T0.plus(Duration.ofDays(1))},
          new Instant[] {T0.minus(Duration.ofDays(5)), T0.minus(Duration.ofDays(4))},
          new Instant[] {T0.plus(Duration.ofDays(6)), T0.plus(Duration.ofDays(9))},
          new Instant[] {T0.minus(Duration.ofDays(3)), T0.plus(Duration.ofDays(8))}));
      for (int i = 0; i < 20; i++) {
        Instant from = T0.plusMillis(random.nextLong(-2 * 86_400_000L, 6 * 86_400_000L));
        ranges.add(new Instant[] {from, from.plusMillis(1 + random.nextLong(3 * 86_400_000L))});
      }
      int agentsCounted = 0;
      for (Instant[] range : ranges) {
        for (Long[] scope : List.of(new Long[] {1L, null}, new Long[] {1L, 10L}, new Long[] {1L, 11L},
            new Long[] {2L, null}, new Long[] {2L, 10L})) {
          Map<Long, StatusTimes.AgentTimes> expected = walked(changes, scope[0], scope[1], range[0], range[1]);
          assertEquals(expected, StatusTimes.count(store.statusMillis(scope[0], scope[1], range[0], range[1])),
              "tenant " + scope[0] + " center " + scope[1] + " " + range[0] + ".." + range[1]);
          agentsCounted += expected.size();
        }
      }
      assertFalse(agentsCounted < 100, "the ranges cover agents: " + agentsCounted);
    }
  }

  /**
   * Agents 100-111 of tenant 1 (center 10 or 11, some in both), 200-203 of tenant 2 (center 20), each changing status
   * about every 40 minutes over a week, at millisecond times, one in ten at the same moment as their change before.
   */
  private static List<Change> aWeekOfChanges(TestDatabase.Url url) throws SQLException {
    Random random = new Random(20);
    String[] reasons = {null, "meal", "break"};
    try (Connection c = DriverManager.getConnection(url.url(), url.user(), url.password())) {
      try (Statement s = c.createStatement()) {
        s.execute("SET time_zone = '+00:00'");
        s.executeUpdate("INSERT INTO tenant (id, code, name, created_at) VALUES (1, 't1', 'T1', NOW(3)), "
            + "(2, 't2', 'T2', NOW(3))");
        s.executeUpdate("INSERT INTO center (id, tenant_id, code, name, created_at) VALUES (10, 1, 'c10', 'C10', "
            + "NOW(3)), (11, 1, 'c11', 'C11', NOW(3)), (20, 2, 'c20', 'C20', NOW(3))");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO agent_status_change (center_id, agent_id, status, "
          + "reason, changed_at) VALUES (?, ?, ?, ?, ?)")) {
        for (long agent : List.of(100L, 101L, 102L, 103L, 104L, 105L, 106L, 107L, 108L, 109L, 110L, 111L, 200L, 201L,
            202L, 203L)) {
          Instant at = T0.minus(Duration.ofDays(2)).plusMillis(random.nextLong(86_400_000L));
          while (at.isBefore(T0.plus(Duration.ofDays(5)))) {
            long center = agent >= 200 ? 20 : agent % 3 == 0 && random.nextBoolean() ? 11 : agent % 2 == 0 ? 10 : 11;
            String status = List.of("ONLINE", "AWAY", "OFFLINE").get(random.nextInt(3));
            ps.setLong(1, center);
            ps.setLong(2, agent);
            ps.setString(3, status);
            ps.setString(4, status.equals("AWAY") ? reasons[random.nextInt(3)] : null);
            ps.setObject(5, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.addBatch();
            at = random.nextInt(10) == 0 ? at : at.plusMillis(random.nextLong(1, 80 * 60_000L));
          }
        }
        ps.executeBatch();
      }
      List<Change> changes = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
          "SELECT id, center_id, agent_id, status, reason, changed_at FROM agent_status_change")) {
        while (rs.next()) {
          changes.add(new Change(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
              rs.getObject(6, LocalDateTime.class).toInstant(ZoneOffset.UTC)));
        }
      }
      return changes;
    }
  }

  /**
   * The computation before the database added the spans up, as it was: per agent the last change before the range and
   * those in it, in order of time (then id), each held until the agent's next one, clipped to the range.
   */
  private static Map<Long, StatusTimes.AgentTimes> walked(List<Change> all, long tenantId, Long centerId,
      Instant from, Instant end) {
    List<Change> inScope = all.stream().filter(ch -> CENTERS.get(ch.centerId()) == tenantId
        && (centerId == null || centerId == ch.centerId())).toList();
    Comparator<Change> byTime = Comparator.comparing(Change::at).thenComparing(Change::id);
    Map<Long, Change> lastBefore = new HashMap<>();
    inScope.stream().filter(ch -> ch.at().isBefore(from)).sorted(byTime)
        .forEach(ch -> lastBefore.put(ch.agentId(), ch));
    List<Change> changes = new ArrayList<>(lastBefore.values());
    changes.addAll(inScope.stream().filter(ch -> !ch.at().isBefore(from) && ch.at().isBefore(end)).toList());
    changes.sort(byTime);

    Map<Long, Tally> byAgent = new LinkedHashMap<>();
    for (Change c : changes) {
      Tally t = byAgent.computeIfAbsent(c.agentId(), id -> new Tally(from));
      t.until(c.at().isBefore(from) ? from : c.at(), end);
      t.status = c.status();
      t.reason = c.reason();
    }
    Map<Long, StatusTimes.AgentTimes> out = new LinkedHashMap<>();
    byAgent.forEach((agentId, t) -> {
      t.until(end, end);
      long away = t.awayMillis.values().stream().mapToLong(Long::longValue).sum() + t.awayWithoutReasonMillis;
      Map<String, Long> awayByReason = new HashMap<>();
      t.awayMillis.forEach((reason, millis) -> awayByReason.put(reason, Math.round(millis / 1000.0)));
      out.put(agentId, new StatusTimes.AgentTimes(agentId, Math.round(t.onlineMillis / 1000.0),
          Math.round(away / 1000.0), awayByReason, Math.round(t.awayWithoutReasonMillis / 1000.0),
          Math.round(t.offlineMillis / 1000.0)));
    });
    return out;
  }

  /** One agent's running sums: in {@code status} since {@code since}. */
  private static final class Tally {
    Instant since;
    String status = "OFFLINE";
    String reason;
    long onlineMillis;
    long offlineMillis;
    long awayWithoutReasonMillis;
    final Map<String, Long> awayMillis = new HashMap<>();

    Tally(Instant from) {
      this.since = from;
    }

    void until(Instant at, Instant end) {
      Instant stop = at.isAfter(end) ? end : at;
      long millis = Duration.between(since, stop).toMillis();
      if (millis <= 0) {
        return;
      }
      switch (status) {
        case "ONLINE" -> onlineMillis += millis;
        case "AWAY" -> {
          if (reason == null) {
            awayWithoutReasonMillis += millis;
          } else {
            awayMillis.merge(reason, millis, Long::sum);
          }
        }
        default -> offlineMillis += millis;
      }
      since = stop;
    }
  }
}
