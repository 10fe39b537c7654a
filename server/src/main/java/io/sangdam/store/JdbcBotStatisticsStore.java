package io.sangdam.store;

import io.sangdam.stats.BotStatisticsStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads the bot's statistics roll-ups that {@link Rollups} keeps (V024), with scenario names and FAQ questions. */
public final class JdbcBotStatisticsStore implements BotStatisticsStore {
  private final Sql sql;

  public JdbcBotStatisticsStore(Database db) {
    this.sql = new Sql(db);
  }

  @Override
  public List<BotHour> hours(Filter filter, Instant from, Instant to) {
    List<Object> params = new ArrayList<>();
    String where = where(filter, from, to, params);
    return sql.list("""
        SELECT h.hour_start, h.scenario_id, s.name, h.channel, SUM(h.conversations) AS conversations,
               SUM(h.handed_off) AS handed_off, SUM(h.ended_by_bot) AS ended_by_bot, SUM(h.inquiries) AS inquiries,
               SUM(h.left_with_bot) AS left_with_bot, SUM(h.faq_questions) AS faq_questions,
               SUM(h.faq_answered) AS faq_answered, SUM(h.faq_suggested) AS faq_suggested,
               SUM(h.faq_chosen) AS faq_chosen, SUM(h.helpful) AS helpful, SUM(h.unhelpful) AS unhelpful
        FROM stats_bot_hour h JOIN bot_scenario s ON s.id = h.scenario_id
        """ + where + " GROUP BY h.hour_start, h.scenario_id, s.name, h.channel ORDER BY h.hour_start",
        rs -> new BotHour(Sql.instant(rs, "hour_start"), rs.getLong("scenario_id"), rs.getString("name"),
            rs.getString("channel"), rs.getLong("conversations"), rs.getLong("handed_off"),
            rs.getLong("ended_by_bot"), rs.getLong("inquiries"), rs.getLong("left_with_bot"),
            rs.getLong("faq_questions"), rs.getLong("faq_answered"), rs.getLong("faq_suggested"),
            rs.getLong("faq_chosen"), rs.getLong("helpful"), rs.getLong("unhelpful")),
        params.toArray());
  }

  @Override
  public boolean hasScenario(long tenantId, long scenarioId) {
    return sql.one("SELECT 1 FROM bot_scenario WHERE tenant_id = ? AND id = ?", rs -> true, tenantId, scenarioId)
        .isPresent();
  }

  @Override
  public List<FaqEntryTotals> faqEntries(Filter filter, Instant from, Instant to) {
    List<Object> params = new ArrayList<>();
    String where = where(filter, from, to, params);
    // The entry's question is joined within the tenant: an id is never read as another tenant's entry.
    return sql.list("""
        SELECT h.faq_id, f.question, SUM(h.answered) AS answered, SUM(h.helpful) AS helpful,
               SUM(h.unhelpful) AS unhelpful
        FROM stats_bot_faq_hour h LEFT JOIN bot_faq f ON f.id = h.faq_id AND f.tenant_id = h.tenant_id
        """ + where + " GROUP BY h.faq_id, f.question ORDER BY answered DESC, h.faq_id",
        rs -> new FaqEntryTotals(rs.getLong("faq_id"), rs.getString("question"), rs.getLong("answered"),
            rs.getLong("helpful"), rs.getLong("unhelpful")),
        params.toArray());
  }

  /** As {@link JdbcStatisticsStore}'s: only the narrowest of queue, center and tenant is named, for the index. */
  private static String where(Filter filter, Instant from, Instant to, List<Object> params) {
    StringBuilder where = new StringBuilder(" WHERE ");
    if (filter.queueId() != null) {
      where.append("h.queue_id = ?");
      params.add(filter.queueId());
    } else if (filter.centerId() != null) {
      where.append("h.center_id = ?");
      params.add(filter.centerId());
    } else {
      where.append("h.tenant_id = ?");
      params.add(filter.tenantId());
    }
    if (filter.scenarioId() != null) {
      where.append(" AND h.scenario_id = ?");
      params.add(filter.scenarioId());
    }
    if (filter.channels() != null) {
      JdbcStatisticsStore.channelIn(where, params, "h.channel", filter.channels());
    }
    where.append(" AND h.hour_start >= ? AND h.hour_start < ?");
    params.add(from);
    params.add(to);
    return where.toString();
  }
}
