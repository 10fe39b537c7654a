package io.sangdam.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Keeps the statistics roll-ups ({@code stats_hour}, {@code stats_wait}) in step with
 * conversations, inside the transaction that ends or rates one, so a report never disagrees with
 * the conversations it counts.
 */
final class Rollups {
  private static final String KEY = "hour_start, tenant_id, center_id, queue_id, agent_id, channel";

  private Rollups() {}

  /** What a conversation that just ended adds to its hour. */
  private record Ended(long tenantId, long centerId, long queueId, long agentId, String channel, String state,
      Instant createdAt,
      Instant closedAt, Instant firstAssignedAt, Instant firstResponseAt, int transfers, int targetSeconds) {}

  /** Counts a conversation that has just ended. */
  static void ended(Connection c, long conversationId) throws SQLException {
    // A conversation its bot ended (close reason 'bot') was never offered to agents: it counts in no queue's
    // figures, service level included. One a bot handed off counts from the hand-off (handed_off_at, V023).
    if (Sql.list(c, "SELECT 1 FROM conversation WHERE id = ? AND close_reason = 'bot'", rs -> true, conversationId)
        .size() == 1) {
      return;
    }
    Ended e = Sql.list(c, """
        SELECT cv.tenant_id, cv.center_id, cv.queue_id, COALESCE(cv.agent_id, 0) AS agent_id, cv.channel, cv.state,
               COALESCE(cv.handed_off_at, cv.created_at) AS created_at, cv.closed_at, cv.transfers, ce.service_level_seconds AS target,
               (SELECT MIN(a.assigned_at) FROM conversation_assignment a WHERE a.conversation_id = cv.id) AS assigned,
               (SELECT MIN(m.created_at) FROM message m
                WHERE m.conversation_id = cv.id AND m.sender_kind = 'AGENT') AS responded
        FROM conversation cv JOIN center ce ON ce.id = cv.center_id
        WHERE cv.id = ?
        """, rs -> new Ended(rs.getLong("tenant_id"), rs.getLong("center_id"), rs.getLong("queue_id"),
            rs.getLong("agent_id"), rs.getString("channel"), rs.getString("state"), Sql.instant(rs, "created_at"),
            Sql.instant(rs, "closed_at"), Sql.instant(rs, "assigned"), Sql.instant(rs, "responded"),
            rs.getInt("transfers"), rs.getInt("target")), conversationId).get(0);
    boolean handled = e.state().equals("CLOSED") && e.firstAssignedAt() != null && e.agentId() != 0;
    boolean abandoned = e.state().equals("ABANDONED");
    long waitMs = handled ? millis(e.createdAt(), e.firstAssignedAt()) : 0;
    long handleMs = handled ? millis(e.firstAssignedAt(), e.closedAt()) : 0;
    boolean responded = e.firstResponseAt() != null;
    Instant hour = e.createdAt().truncatedTo(ChronoUnit.HOURS);
    long agentId = handled ? e.agentId() : 0;
    Sql.update(c, "INSERT INTO stats_hour (" + KEY + ", offered, handled, abandoned, wait_ms, answered_in_target, "
        + "handle_ms, first_responses, first_response_ms, transfers) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?) "
        + "ON DUPLICATE KEY UPDATE offered = offered + 1, handled = handled + VALUES(handled), "
        + "abandoned = abandoned + VALUES(abandoned), wait_ms = wait_ms + VALUES(wait_ms), "
        + "answered_in_target = answered_in_target + VALUES(answered_in_target), "
        + "handle_ms = handle_ms + VALUES(handle_ms), first_responses = first_responses + VALUES(first_responses), "
        + "first_response_ms = first_response_ms + VALUES(first_response_ms), "
        + "transfers = transfers + VALUES(transfers)",
        hour, e.tenantId(), e.centerId(), e.queueId(), agentId, e.channel(),
        handled ? 1 : 0, abandoned ? 1 : 0, waitMs, handled && waitMs <= e.targetSeconds() * 1000L ? 1 : 0,
        handleMs, responded ? 1 : 0, responded ? millis(e.createdAt(), e.firstResponseAt()) : 0, e.transfers());
    if (handled) {
      Sql.update(c, """
          INSERT INTO stats_wait (conversation_id, tenant_id, center_id, queue_id, agent_id, channel, created_at,
                                  wait_ms)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """, conversationId, e.tenantId(), e.centerId(), e.queueId(), agentId, e.channel(), e.createdAt(), waitMs);
    }
  }

  /** Counts a rating in the hour its conversation was counted in. */
  static void rated(Connection c, long conversationId, int score) throws SQLException {
    List<Object[]> key = Sql.list(c, """
        SELECT created_at, tenant_id, center_id, queue_id, agent_id, channel FROM conversation WHERE id = ?
        """, rs -> new Object[] {Sql.instant(rs, "created_at").truncatedTo(ChronoUnit.HOURS), rs.getLong("tenant_id"),
            rs.getLong("center_id"), rs.getLong("queue_id"), rs.getLong("agent_id"), rs.getString("channel")},
        conversationId);
    Object[] k = key.get(0);
    Sql.update(c, "UPDATE stats_hour SET csat_responses = csat_responses + 1, csat_sum = csat_sum + ? "
        + "WHERE hour_start = ? AND tenant_id = ? AND center_id = ? AND queue_id = ? AND agent_id = ? AND channel = ?",
        score, k[0], k[1], k[2], k[3], k[4], k[5]);
  }

  private static long millis(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis());
  }
}
