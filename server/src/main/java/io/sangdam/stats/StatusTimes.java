package io.sangdam.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long each agent spent in each status, and while AWAY in each away reason, within a range:
 * each change of status holds until the agent's next one; before their first, an agent is OFFLINE.
 */
public final class StatusTimes {
  private StatusTimes() {}

  /**
   * One agent's times in whole seconds. {@code awayByReason}: by the reason's code; {@code awaySeconds}
   * all the time AWAY, with a reason or without one ({@code awayWithoutReasonSeconds}).
   */
  public record AgentTimes(long agentId, long onlineSeconds, long awaySeconds, Map<String, Long> awayByReason,
      long awayWithoutReasonSeconds, long offlineSeconds) {
    public AgentTimes {
      awayByReason = Map.copyOf(awayByReason);
    }

    /** An agent who was OFFLINE for all of {@code seconds}. */
    public static AgentTimes offline(long agentId, long seconds) {
      return new AgentTimes(agentId, 0, 0, Map.of(), 0, seconds);
    }
  }

  /** Counts {@code changes} (as {@link StatisticsStore#statusChanges} gives them, in order of time) over {@code [from, end)}. */
  public static Map<Long, AgentTimes> count(List<StatisticsStore.StatusChange> changes, Instant from, Instant end) {
    Map<Long, Tally> byAgent = new LinkedHashMap<>();
    for (StatisticsStore.StatusChange c : changes) {
      Tally t = byAgent.computeIfAbsent(c.agentId(), id -> new Tally(from));
      t.until(c.at().isBefore(from) ? from : c.at(), end);
      t.status = c.status();
      t.reason = c.reason();
    }
    Map<Long, AgentTimes> out = new LinkedHashMap<>();
    byAgent.forEach((agentId, t) -> {
      t.until(end, end);
      long away = t.awayMillis.values().stream().mapToLong(Long::longValue).sum() + t.awayWithoutReasonMillis;
      Map<String, Long> awayByReason = new HashMap<>();
      t.awayMillis.forEach((reason, millis) -> awayByReason.put(reason, seconds(millis)));
      out.put(agentId, new AgentTimes(agentId, seconds(t.onlineMillis), seconds(away), awayByReason,
          seconds(t.awayWithoutReasonMillis), seconds(t.offlineMillis)));
    });
    return out;
  }

  private static long seconds(long millis) {
    return Math.round(millis / 1000.0);
  }

  /** One agent's running sums: in {@code status} since {@code since}. */
  private static final class Tally {
    Instant since;
    String status = "OFFLINE";
    String reason;
    long onlineMillis;
    long offlineMillis;
    long awayWithoutReasonMillis;
    /** By the away reason's code. */
    final Map<String, Long> awayMillis = new HashMap<>();

    Tally(Instant from) {
      this.since = from;
    }

    /** The current status held until {@code at} (or {@code end}, if that is earlier). */
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
