package io.sangdam.store;

import io.sangdam.stats.AgentDay;
import io.sangdam.stats.AgentDayStore;
import java.time.Instant;

/**
 * An agent's day straight from the conversations, not the hourly roll-ups: those count a conversation in the
 * hour it was created, and an agent's day is the chats they closed since midnight.
 */
public final class JdbcAgentDayStore implements AgentDayStore {
  private final Sql sql;

  public JdbcAgentDayStore(Database db) {
    this.sql = new Sql(db);
  }

  @Override
  public AgentDay closedBy(long agentId, Instant from, Instant to) {
    // The handle time is the agent's own part: from their last taking of the chat (a transfer to them starts it)
    // to its end.
    return sql.one("""
        SELECT COUNT(*) AS handled,
               AVG(TIMESTAMPDIFF(MICROSECOND,
                   (SELECT MAX(a.assigned_at) FROM conversation_assignment a
                    WHERE a.conversation_id = cv.id AND a.agent_id = cv.agent_id), cv.closed_at)) / 1000000 AS handle,
               AVG(cv.csat_score) AS csat, COUNT(cv.csat_score) AS rated
        FROM conversation cv
        WHERE cv.agent_id = ? AND cv.state = 'CLOSED' AND cv.closed_at >= ? AND cv.closed_at < ?
        """, rs -> new AgentDay(rs.getLong("handled"), nullable(rs.getObject("handle")), nullable(rs.getObject("csat")),
            rs.getLong("rated")), agentId, from, to).orElseThrow();
  }

  private static Double nullable(Object value) {
    return value == null ? null : ((Number) value).doubleValue();
  }
}
