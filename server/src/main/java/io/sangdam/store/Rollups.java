package io.sangdam.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import io.sangdam.chat.BotTally;
import io.sangdam.stats.WaitHistogram;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the statistics roll-ups ({@code stats_hour}, {@code stats_wait_hour}, and the bot's {@code stats_bot_hour},
 * {@code stats_bot_faq_hour}) in step with conversations, inside the transaction that ends, rates or hands off one or
 * keeps its bot's turn, so a report never disagrees with the conversations it counts.
 */
final class Rollups {
  private static final String KEY = "hour_start, tenant_id, center_id, queue_id, agent_id, channel";
  private static final String BOT_KEY = "hour_start, tenant_id, center_id, queue_id, scenario_id, channel";

  private Rollups() {}

  /** What a conversation that just ended adds to its hour. */
  private record Ended(String how, long tenantId, long centerId, long queueId, long agentId, String channel, String state,
      Instant createdAt,
      Instant closedAt, Instant firstAssignedAt, Instant firstResponseAt, int transfers, int targetSeconds) {}

  /** Where a conversation counts in the bot's roll-ups (V024): its creation hour, entry and scenario. */
  private record BotKey(Instant hour, long tenantId, long centerId, long queueId, long scenarioId, String channel) {}

  /** Counts a conversation that has just ended. */
  static void ended(Connection c, long conversationId) throws SQLException {
    // One that ended while its bot had it (never handed off) was never offered to agents: it counts as the bot's
    // (ended by it, or left), in no queue's figures, service level included. So does one its bot ended after an
    // agent's part (close reason 'bot'). One a bot handed off counts from the hand-off (handed_off_at, V023).
    // How it counts and what it counts, read in one query: one round trip fewer for every close.
    Ended e = Sql.list(c, """
        SELECT CASE WHEN cv.bot_scenario IS NOT NULL AND cv.handed_off_at IS NULL
                    THEN IF(cv.close_reason = 'bot', 'ended_by_bot', 'left_with_bot')
                    WHEN cv.close_reason = 'bot' THEN 'bot' ELSE 'agents' END AS how,
               cv.tenant_id, cv.center_id, cv.queue_id, COALESCE(cv.agent_id, 0) AS agent_id, cv.channel, cv.state,
               COALESCE(cv.handed_off_at, cv.created_at) AS created_at, cv.closed_at, cv.transfers, ce.service_level_seconds AS target,
               (SELECT MIN(a.assigned_at) FROM conversation_assignment a WHERE a.conversation_id = cv.id) AS assigned,
               (SELECT MIN(m.created_at) FROM message m
                WHERE m.conversation_id = cv.id AND m.sender_kind = 'AGENT') AS responded
        FROM conversation cv JOIN center ce ON ce.id = cv.center_id
        WHERE cv.id = ?
        """, rs -> new Ended(rs.getString("how"), rs.getLong("tenant_id"), rs.getLong("center_id"),
            rs.getLong("queue_id"), rs.getLong("agent_id"), rs.getString("channel"), rs.getString("state"),
            Sql.instant(rs, "created_at"), Sql.instant(rs, "closed_at"), Sql.instant(rs, "assigned"),
            Sql.instant(rs, "responded"), rs.getInt("transfers"), rs.getInt("target")), conversationId).get(0);
    String how = e.how();
    if (how.equals("ended_by_bot") || how.equals("left_with_bot")) {
      addBot(c, botKey(c, conversationId, "").orElseThrow(), how);
    }
    if (!how.equals("agents")) {
      return;
    }
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
      addWaits(c, new WaitKey(hour, e.tenantId(), e.centerId(), e.queueId(), agentId, e.channel(),
          WaitHistogram.bucket(waitMs)), 1);
    }
  }

  /** Where waits are counted (V055): the key of {@code stats_hour} and a {@link WaitHistogram} bucket. */
  record WaitKey(Instant hour, long tenantId, long centerId, long queueId, long agentId, String channel, int bucket) {}

  /** Counts {@code waits} more waits under {@code k}. */
  static void addWaits(Connection c, WaitKey k, int waits) throws SQLException {
    Sql.update(c, "INSERT INTO stats_wait_hour (" + KEY + ", bucket, waits) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        + "ON DUPLICATE KEY UPDATE waits = waits + VALUES(waits)",
        k.hour(), k.tenantId(), k.centerId(), k.queueId(), k.agentId(), k.channel(), k.bucket(), waits);
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

  /**
   * Counts a bot's hand-off, before the conversation is moved, under the center and queue it entered at: once, at the
   * first hand-off (one returned to its bot and handed off again is one conversation). Locks the row, so the
   * caller's update that follows still finds it with its bot.
   */
  static void botHandingOff(Connection c, long conversationId) throws SQLException {
    Optional<BotKey> key = botKey(c, conversationId, " AND state = 'BOT' AND handed_off_at IS NULL FOR UPDATE");
    if (key.isPresent()) {
      addBot(c, key.get(), "handed_off");
    }
  }

  /** Adds what a bot's turn counts, under the conversation's creation hour, entry and scenario. */
  static void botTurn(Connection c, long conversationId, BotTally t) throws SQLException {
    Optional<BotKey> found = t.isEmpty() ? Optional.empty() : botKey(c, conversationId, "");
    if (found.isEmpty()) {
      return;
    }
    BotKey k = found.get();
    Sql.update(c, "INSERT INTO stats_bot_hour (" + BOT_KEY + ", faq_questions, faq_answered, faq_suggested, "
        + "faq_chosen, helpful, unhelpful, inquiries) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        + "ON DUPLICATE KEY UPDATE faq_questions = faq_questions + VALUES(faq_questions), "
        + "faq_answered = faq_answered + VALUES(faq_answered), faq_suggested = faq_suggested + VALUES(faq_suggested), "
        + "faq_chosen = faq_chosen + VALUES(faq_chosen), helpful = helpful + VALUES(helpful), "
        + "unhelpful = unhelpful + VALUES(unhelpful), inquiries = inquiries + VALUES(inquiries)",
        k.hour(), k.tenantId(), k.centerId(), k.queueId(), k.scenarioId(), k.channel(), t.faqQuestions(),
        t.faqAnswered(), t.faqSuggested(), t.faqChosen(), t.helpful(), t.unhelpful(), t.inquiries());
    for (BotTally.Entry e : t.entries()) {
      Sql.update(c, "INSERT INTO stats_bot_faq_hour (" + BOT_KEY + ", faq_id, answered, helpful, unhelpful) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE answered = answered + VALUES(answered), "
          + "helpful = helpful + VALUES(helpful), unhelpful = unhelpful + VALUES(unhelpful)",
          k.hour(), k.tenantId(), k.centerId(), k.queueId(), k.scenarioId(), k.channel(), e.faq(), e.answered(),
          e.helpful(), e.unhelpful());
    }
  }

  /** The bot key of a conversation a bot greeted; empty when none did, or when {@code and} rules it out. */
  private static Optional<BotKey> botKey(Connection c, long conversationId, String and) throws SQLException {
    return Sql.list(c, "SELECT created_at, tenant_id, center_id, queue_id, bot_scenario, channel FROM conversation "
        + "WHERE id = ? AND bot_scenario IS NOT NULL" + and,
        rs -> new BotKey(Sql.instant(rs, "created_at").truncatedTo(ChronoUnit.HOURS), rs.getLong("tenant_id"),
            rs.getLong("center_id"), rs.getLong("queue_id"), rs.getLong("bot_scenario"), rs.getString("channel")),
        conversationId).stream().findFirst();
  }

  /** One more conversation whose bot part is over, counted in {@code how} (a column of V024's) too. */
  private static void addBot(Connection c, BotKey k, String how) throws SQLException {
    Sql.update(c, "INSERT INTO stats_bot_hour (" + BOT_KEY + ", conversations, " + how + ") "
        + "VALUES (?, ?, ?, ?, ?, ?, 1, 1) "
        + "ON DUPLICATE KEY UPDATE conversations = conversations + 1, " + how + " = " + how + " + 1",
        k.hour(), k.tenantId(), k.centerId(), k.queueId(), k.scenarioId(), k.channel());
  }

  private static long millis(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis());
  }
}
