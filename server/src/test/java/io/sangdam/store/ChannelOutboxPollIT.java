package io.sangdam.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the outbox's once-a-second poll costs the database when many channel conversations are open and owe
 * nothing (an agent waits for the customer's answer): the rows and index entries read per poll, from the
 * database's own counters, and the time it takes (printed, not asserted). An idle conversation costs nothing per poll: the
 * poll reads the rows due, and one owing nothing is parked until a commit wakes it or the sweep finds it.
 */
@ExtendWith(TestDatabase.class)
class ChannelOutboxPollIT {
  private static final int OPEN = 5_000;
  private static final int POLLS = 10;
  private static final int ROUNDS = 5;
  private static final Duration CLAIM = Duration.ofSeconds(60);

  @Test
  void fiveThousandOpenConversationsOwingNothingCostThePollNothing(TestDatabase.Url url) throws SQLException {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2);
        Connection c = DriverManager.getConnection(url.url(), url.user(), url.password());
        Statement s = c.createStatement()) {
      db.migrate();
      // The conversations alone, without their tenant, center, queue and customer: the poll reads none of those.
      s.execute("SET SESSION foreign_key_checks = 0");
      s.execute("INSERT INTO channel (id, tenant_id, code, kind, center_id, queue_id, settings, secret, created_at)"
          + " VALUES (1, 1, 'kakao', 'KAKAO', 1, 1, '{}', 's', NOW(3))");
      s.execute("INSERT INTO conversation (id, tenant_id, center_id, queue_id, customer_id, state, created_at,"
          + " queued_at, channel, channel_user) SELECT seq, 1, 1, 1, seq, 'ASSIGNED', NOW(3), NOW(3), 'kakao',"
          + " CONCAT('u-', seq) FROM seq_1_to_" + OPEN);
      // Each has the customer's question and the agent's answer, delivered: it owes nothing.
      s.execute("INSERT INTO message (conversation_id, seq, sender_kind, body, created_at)"
          + " SELECT seq, 1, 'CUSTOMER', '문의', NOW(3) FROM seq_1_to_" + OPEN);
      s.execute("INSERT INTO message (conversation_id, seq, sender_kind, body, created_at)"
          + " SELECT seq, 2, 'AGENT', '답변', NOW(3) FROM seq_1_to_" + OPEN);
      // Due and unclaimed, as an upgrade finds them (and as every poll found them before parking: then each poll
      // read every one's messages, 30,000 rows and index entries and 110 ms a poll here).
      s.execute("INSERT INTO channel_outbound (conversation_id, channel_id, delivered_seq, next_attempt_at)"
          + " SELECT seq, 1, 2, UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE FROM seq_1_to_" + OPEN);

      JdbcChannelOutbox outbox = new JdbcChannelOutbox(db, "node-a");
      outbox.sweep(Instant.now()); // parks them
      Figures idle = measure(s, () -> assertEquals(List.of(), outbox.claimDue(Instant.now(), 2_000, CLAIM)), POLLS,
          ROUNDS);
      System.out.printf("channel outbox poll, %d open conversations owing nothing: %.1f rows read and %.2f ms"
          + " per poll%n", OPEN, idle.rowsPerPoll(), idle.msPerPoll());
      assertTrue(idle.rowsPerPoll() < 10, "an idle conversation costs the poll nothing: " + idle);

      // One of them is owed an answer: woken by the commit's node, it is claimed at the next poll.
      s.execute("INSERT INTO message (conversation_id, seq, sender_kind, body, created_at)"
          + " VALUES (17, 3, 'AGENT', '추가 답변', NOW(3))");
      outbox.wake(List.of(17L), Instant.now());
      assertEquals(List.of(17L), outbox.claimDue(Instant.now(), 2_000, CLAIM));
      // Another's wake-up is lost (its node died right after the commit): the sweep finds it.
      s.execute("INSERT INTO message (conversation_id, seq, sender_kind, body, created_at)"
          + " VALUES (4242, 3, 'SYSTEM', '상담이 곧 종료됩니다', NOW(3))");
      assertEquals(List.of(17L), outbox.claimDue(Instant.now(), 2_000, CLAIM), "parked: not read by the poll");
      Figures sweep = measure(s, () -> outbox.sweep(Instant.now()), 1, 1);
      System.out.printf("channel outbox sweep (every %s), %d parked conversations: %.0f rows read, %.2f ms%n",
          "1 min", OPEN, sweep.rowsPerPoll(), sweep.msPerPoll());
      assertEquals(List.of(17L, 4242L), outbox.claimDue(Instant.now(), 2_000, CLAIM).stream().sorted().toList());
    }
  }

  private record Figures(double rowsPerPoll, double msPerPoll) {}

  /**
   * Runs {@code poll} {@code rounds} times {@code polls} times: the rows and index entries read (the whole
   * database server's counters) and the time, per run, of the round that read least (the database's own
   * background work, such as its statistics' recalculation after many rows changed, counts in some rounds).
   */
  private static Figures measure(Statement s, Runnable poll, int polls, int rounds) throws SQLException {
    Figures least = null;
    for (int round = 0; round < rounds; round++) {
      long rows = rowsRead(s);
      long started = System.nanoTime();
      for (int i = 0; i < polls; i++) {
        poll.run();
      }
      double ms = (System.nanoTime() - started) / 1e6 / polls;
      Figures f = new Figures((double) (rowsRead(s) - rows) / polls, ms);
      if (least == null || f.rowsPerPoll() < least.rowsPerPoll()) {
        least = f;
      }
    }
    return least;
  }

  private static long rowsRead(Statement s) throws SQLException {
    // Every row or index entry a statement read, through any access path (the handler's counters).
    try (ResultSet rs = s.executeQuery("SELECT SUM(VARIABLE_VALUE) FROM information_schema.GLOBAL_STATUS"
        + " WHERE VARIABLE_NAME LIKE 'HANDLER\\_READ\\_%'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
