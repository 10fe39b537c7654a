package io.sangdam.stats;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long each agent spent in each status, and while AWAY in each away reason, within a range: each change of status
 * holds until the agent's next one; before their first, an agent is OFFLINE. The database adds the spans up
 * ({@link StatisticsStore#statusMillis}): a report holds a few sums per agent, not the range's changes.
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

  /** Adds up each agent's times ({@link StatisticsStore#statusMillis}), each rounded to the second once. */
  public static Map<Long, AgentTimes> count(List<StatisticsStore.StatusMillis> times) {
    Map<Long, Tally> byAgent = new LinkedHashMap<>();
    for (StatisticsStore.StatusMillis t : times) {
      byAgent.computeIfAbsent(t.agentId(), id -> new Tally()).add(t.status(), t.reason(), t.millis());
    }
    Map<Long, AgentTimes> out = new LinkedHashMap<>();
    byAgent.forEach((agentId, t) -> {
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

  /** One agent's sums. */
  private static final class Tally {
    long onlineMillis;
    long offlineMillis;
    long awayWithoutReasonMillis;
    /** By the away reason's code. */
    final Map<String, Long> awayMillis = new HashMap<>();

    void add(String status, String reason, long millis) {
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
    }
  }
}
