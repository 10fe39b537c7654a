package io.sangdam.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.sangdam.bot.BotEntry;
import io.sangdam.bot.BotStore;
import io.sangdam.bot.FaqItem;
import io.sangdam.bot.SavedScenario;
import io.sangdam.bot.ScenarioVersion;
import io.sangdam.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** The bot's scenarios, their versions, entries and FAQ in MariaDB (V022; deletions and "no bot" entries V027). */
public final class JdbcBotStore implements BotStore {
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final String SCENARIO = """
      SELECT id, tenant_id, name, current_version, created_at, updated_at FROM bot_scenario
      """;
  /** Every entry, the scenario's name and current version with it (none for a "no bot" entry). */
  private static final String ENTRIES = """
      SELECT e.tenant_id, e.center_id, e.queue_id, e.channel_id, ch.code AS channel_code,
             COALESCE(e.center_id, ch.center_id) AS home_center_id, e.scenario_id,
             s.name AS scenario_name, COALESCE(s.current_version, 0) AS current_version, e.set_at
      FROM bot_entry e LEFT JOIN bot_scenario s ON s.id = e.scenario_id
      LEFT JOIN channel ch ON ch.id = e.channel_id
      """;
  private static final String FAQ = """
      SELECT id, tenant_id, question, alternatives, answer, enabled, created_at, updated_at FROM bot_faq
      """;

  private final Sql sql;
  private final Clock clock;
  private final Json json;

  public JdbcBotStore(Database db, Clock clock, Json json) {
    this.sql = new Sql(db);
    this.clock = clock;
    this.json = json;
  }

  private static SavedScenario scenario(ResultSet rs) throws SQLException {
    return new SavedScenario(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("name"),
        rs.getInt("current_version"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
  }

  private static ScenarioVersion version(ResultSet rs) throws SQLException {
    return new ScenarioVersion(rs.getLong("scenario_id"), rs.getInt("version"), rs.getString("body"),
        Sql.nullableLong(rs, "saved_by"), rs.getString("saved_by_name"), Sql.instant(rs, "saved_at"));
  }

  private static BotEntry entry(ResultSet rs) throws SQLException {
    return new BotEntry(rs.getLong("tenant_id"), Sql.nullableLong(rs, "center_id"), Sql.nullableLong(rs, "queue_id"),
        Sql.nullableLong(rs, "channel_id"), rs.getString("channel_code"), rs.getLong("home_center_id"),
        Sql.nullableLong(rs, "scenario_id"), rs.getString("scenario_name"), rs.getInt("current_version"), Sql.instant(rs, "set_at"));
  }

  private FaqItem faqItem(ResultSet rs) throws SQLException {
    List<String> alternatives;
    try {
      alternatives = json.mapper().readValue(rs.getString("alternatives"), STRINGS);
    } catch (JsonProcessingException e) {
      throw new SQLException("FAQ entry " + rs.getLong("id") + " has unreadable alternatives", e);
    }
    return new FaqItem(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("question"), alternatives,
        rs.getString("answer"), rs.getBoolean("enabled"), Sql.instant(rs, "created_at"),
        Sql.instant(rs, "updated_at"));
  }

  /** As the DATETIME(3) columns keep it, so what a write returns equals what a read finds. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  @Override
  public List<SavedScenario> scenarios(long tenantId) {
    return sql.list(SCENARIO + "WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY id", JdbcBotStore::scenario,
        tenantId);
  }

  @Override
  public Optional<SavedScenario> scenario(long tenantId, long scenarioId) {
    return sql.one(SCENARIO + "WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL", JdbcBotStore::scenario,
        tenantId, scenarioId);
  }

  @Override
  public SavedScenario create(long tenantId, String name, String body, Long userId, String userName) {
    Instant at = now();
    long id = sql.transaction(c -> {
      long created = Sql.insert(c, """
          INSERT INTO bot_scenario (tenant_id, name, current_version, created_at, updated_at) VALUES (?, ?, 1, ?, ?)
          """, tenantId, name, at, at);
      insertVersion(c, created, 1, body, userId, userName, at);
      return created;
    });
    return new SavedScenario(id, tenantId, name, 1, at, at);
  }

  @Override
  public Optional<SavedScenario> save(long tenantId, long scenarioId, String name, String body, Long userId,
      String userName) {
    Instant at = now();
    return sql.transaction(c -> {
      // The row held until commit: two saves at once get versions n+1 and n+2, never the same number twice.
      Optional<SavedScenario> current = Sql.list(c, SCENARIO + "WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL "
          + "FOR UPDATE", JdbcBotStore::scenario, tenantId, scenarioId).stream().findFirst();
      if (current.isEmpty()) {
        return Optional.empty();
      }
      int next = current.get().currentVersion() + 1;
      insertVersion(c, scenarioId, next, body, userId, userName, at);
      Sql.update(c, "UPDATE bot_scenario SET name = ?, current_version = ?, updated_at = ? WHERE id = ?", name, next,
          at, scenarioId);
      return Optional.of(new SavedScenario(scenarioId, tenantId, name, next, current.get().createdAt(), at));
    });
  }

  @Override
  public Optional<List<BotEntry>> deleteScenario(long tenantId, long scenarioId) {
    Instant at = now();
    return sql.transaction(c -> {
      // The row held until commit: an entry set meanwhile waits for it (setEntry reads it shared), then finds it gone.
      if (Sql.list(c, "SELECT id FROM bot_scenario WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL FOR UPDATE",
          rs -> rs.getLong(1), tenantId, scenarioId).isEmpty()) {
        return Optional.<List<BotEntry>>empty();
      }
      List<BotEntry> using = Sql.list(c, ENTRIES + "WHERE e.tenant_id = ? AND e.scenario_id = ? "
          + "ORDER BY e.center_id, e.queue_id, ch.code", JdbcBotStore::entry, tenantId, scenarioId);
      if (using.isEmpty()) {
        Sql.update(c, "UPDATE bot_scenario SET deleted_at = ? WHERE id = ?", at, scenarioId);
      }
      return Optional.of(using);
    });
  }

  private static void insertVersion(Connection c, long scenarioId, int version, String body, Long userId,
      String userName, Instant at) throws SQLException {
    Sql.update(c, """
        INSERT INTO bot_scenario_version (scenario_id, version, body, saved_by, saved_by_name, saved_at)
        VALUES (?, ?, ?, ?, ?, ?)
        """, scenarioId, version, body, userId, userName, at);
  }

  @Override
  public List<ScenarioVersion> versions(long tenantId, long scenarioId) {
    return sql.list("""
        SELECT v.scenario_id, v.version, '' AS body, v.saved_by, v.saved_by_name, v.saved_at
        FROM bot_scenario_version v JOIN bot_scenario s ON s.id = v.scenario_id
        WHERE s.tenant_id = ? AND s.id = ? ORDER BY v.version DESC
        """, JdbcBotStore::version, tenantId, scenarioId);
  }

  @Override
  public Optional<ScenarioVersion> version(long tenantId, long scenarioId, int version) {
    return sql.one("""
        SELECT v.scenario_id, v.version, v.body, v.saved_by, v.saved_by_name, v.saved_at
        FROM bot_scenario_version v JOIN bot_scenario s ON s.id = v.scenario_id
        WHERE s.tenant_id = ? AND s.id = ? AND v.version = ?
        """, JdbcBotStore::version, tenantId, scenarioId, version);
  }

  @Override
  public List<BotEntry> entries(long tenantId) {
    return sql.list(ENTRIES + "WHERE e.tenant_id = ? ORDER BY e.center_id, e.queue_id, ch.code",
        JdbcBotStore::entry, tenantId);
  }

  @Override
  public boolean setEntry(long tenantId, Long centerId, Long queueId, Long channelId, Long scenarioId,
      Long userId) {
    Instant at = now();
    return sql.transaction(c -> {
      // Read shared until commit: a deletion of the scenario under way is waited for, one after this waits for it.
      if (scenarioId != null && Sql.list(c, """
          SELECT id FROM bot_scenario WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL LOCK IN SHARE MODE
          """, rs -> rs.getLong(1), tenantId, scenarioId).isEmpty()) {
        return false;
      }
      Sql.update(c, """
          INSERT INTO bot_entry (tenant_id, center_id, queue_id, channel_id, scenario_id, set_by, set_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          ON DUPLICATE KEY UPDATE scenario_id = VALUES(scenario_id), set_by = VALUES(set_by), set_at = VALUES(set_at)
          """, tenantId, centerId, queueId, channelId, scenarioId, userId, at);
      return true;
    });
  }

  @Override
  public boolean deleteEntry(long tenantId, Long centerId, Long queueId, Long channelId) {
    return sql.update("""
        DELETE FROM bot_entry WHERE tenant_id = ? AND place = CONCAT(COALESCE(?, 0), '/', COALESCE(?, 0), '/',
                                                                     COALESCE(?, 0))
        """, tenantId, centerId, queueId, channelId) > 0;
  }

  @Override
  public List<FaqItem> faq(long tenantId) {
    return sql.list(FAQ + "WHERE tenant_id = ? ORDER BY id", this::faqItem, tenantId);
  }

  @Override
  public Optional<FaqItem> faqItem(long tenantId, long id) {
    return sql.one(FAQ + "WHERE tenant_id = ? AND id = ?", this::faqItem, tenantId, id);
  }

  @Override
  public Optional<FaqItem> addFaq(long tenantId, String question, List<String> alternatives, String answer,
      boolean enabled, int limit) {
    Instant at = now();
    return sql.transaction(c -> {
      Sql.list(c, "SELECT id FROM tenant WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), tenantId);
      long count = Sql.list(c, "SELECT COUNT(*) FROM bot_faq WHERE tenant_id = ?", rs -> rs.getLong(1), tenantId)
          .get(0);
      if (count >= limit) {
        return Optional.<FaqItem>empty();
      }
      long id = Sql.insert(c, """
          INSERT INTO bot_faq (tenant_id, question, alternatives, answer, enabled, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """, tenantId, question, strings(alternatives), answer, enabled, at, at);
      return Optional.of(new FaqItem(id, tenantId, question, alternatives, answer, enabled, at, at));
    });
  }

  @Override
  public Optional<FaqItem> updateFaq(long tenantId, long id, String question, List<String> alternatives,
      String answer, boolean enabled) {
    int changed = sql.update("""
        UPDATE bot_faq SET question = ?, alternatives = ?, answer = ?, enabled = ?, updated_at = ?
        WHERE tenant_id = ? AND id = ?
        """, question, strings(alternatives), answer, enabled, now(), tenantId, id);
    return changed == 0 ? Optional.empty() : faqItem(tenantId, id);
  }

  @Override
  public boolean deleteFaq(long tenantId, long id) {
    return sql.update("DELETE FROM bot_faq WHERE tenant_id = ? AND id = ?", tenantId, id) > 0;
  }

  private String strings(List<String> values) {
    return new String(json.write(values), StandardCharsets.UTF_8);
  }
}
