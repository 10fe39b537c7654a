package io.sangdam.store;

import io.sangdam.directory.BusinessHours;
import io.sangdam.directory.Category;
import io.sangdam.directory.Center;
import io.sangdam.directory.CenterSettings;
import io.sangdam.directory.DirectoryRows;
import io.sangdam.directory.DirectoryStore;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.protocol.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Tenants, centers, queues and users in MariaDB. */
public final class JdbcDirectoryStore implements DirectoryStore {
  private final Sql sql;
  private final Clock clock;
  private final Json json;

  public JdbcDirectoryStore(Database db, Clock clock, Json json) {
    this.sql = new Sql(db);
    this.clock = clock;
    this.json = json;
  }

  @Override
  public DirectoryRows everything() {
    // One transaction: MariaDB's repeatable read gives the four reads one point in time, so no
    // queue is read without its center.
    return sql.transaction(c -> new DirectoryRows(
        Sql.list(c, "SELECT id, code, name, status FROM tenant", JdbcDirectoryStore::tenant),
        Sql.list(c, "SELECT " + CENTER_COLUMNS + " FROM center", this::center),
        Sql.list(c, "SELECT " + QUEUE_COLUMNS + " FROM chat_queue", JdbcDirectoryStore::queue),
        Sql.list(c, USER_SELECT, JdbcDirectoryStore::user)));
  }

  // --- tenants

  private static Tenant tenant(ResultSet rs) throws SQLException {
    return new Tenant(rs.getLong("id"), rs.getString("code"), rs.getString("name"), rs.getString("status"));
  }

  @Override
  public Tenant insertTenant(String code, String name) {
    long id = duplicateAware(() -> sql.insert("""
        INSERT INTO tenant (code, name, created_at) VALUES (?, ?, ?)
        """, code, name, clock.instant()));
    return new Tenant(id, code, name, "ACTIVE");
  }

  @Override
  public Optional<Tenant> tenant(long id) {
    return sql.one("SELECT id, code, name, status FROM tenant WHERE id = ?", JdbcDirectoryStore::tenant, id);
  }

  @Override
  public Optional<Tenant> tenantByCode(String code) {
    return sql.one("SELECT id, code, name, status FROM tenant WHERE code = ?", JdbcDirectoryStore::tenant, code);
  }

  @Override
  public List<Tenant> tenants() {
    return sql.list("SELECT id, code, name, status FROM tenant ORDER BY code", JdbcDirectoryStore::tenant);
  }

  // --- centers

  private static final String CENTER_COLUMNS = "id, tenant_id, code, name, timezone, business_hours, "
      + "agent_grace_seconds, customer_grace_seconds, idle_warning_seconds, idle_close_seconds, require_category, "
      + "service_level_seconds, status";

  private Center center(ResultSet rs) throws SQLException {
    String hours = rs.getString("business_hours");
    return new Center(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("code"), rs.getString("name"),
        rs.getString("timezone"), hours == null ? null : BusinessHours.parse(json.readObject(hours)),
        new CenterSettings(Sql.nullableInt(rs, "agent_grace_seconds"), Sql.nullableInt(rs, "customer_grace_seconds"),
            Sql.nullableInt(rs, "idle_warning_seconds"), Sql.nullableInt(rs, "idle_close_seconds"),
            rs.getBoolean("require_category"), rs.getInt("service_level_seconds")),
        rs.getString("status").equals("ACTIVE"));
  }

  @Override
  public void updateCenterHours(long centerId, BusinessHours hours) {
    if (hours == null) {
      sql.update("UPDATE center SET business_hours = NULL WHERE id = ?", centerId);
    } else {
      sql.update("""
          UPDATE center SET business_hours = ?, out_of_hours = ?, timezone = ? WHERE id = ?
          """, hours.toJson().toString(), hours.outOfHours(), hours.zone().getId(), centerId);
    }
  }

  @Override
  public void updateCenterSettings(long centerId, CenterSettings s) {
    sql.update("""
        UPDATE center SET agent_grace_seconds = ?, customer_grace_seconds = ?, idle_warning_seconds = ?,
               idle_close_seconds = ?, require_category = ?, service_level_seconds = ?
        WHERE id = ?
        """, s.agentGraceSeconds(), s.customerGraceSeconds(), s.idleWarningSeconds(), s.idleCloseSeconds(),
        s.requireCategory(), s.serviceLevelSeconds(), centerId);
  }

  @Override
  public Center insertCenter(long tenantId, String code, String name, String timezone) {
    long id = duplicateAware(() -> sql.insert("""
        INSERT INTO center (tenant_id, code, name, timezone, created_at) VALUES (?, ?, ?, ?, ?)
        """, tenantId, code, name, timezone, clock.instant()));
    return new Center(id, tenantId, code, name, timezone, null, CenterSettings.DEFAULTS, true);
  }

  @Override
  public Optional<Center> center(long id) {
    return sql.one("SELECT " + CENTER_COLUMNS + " FROM center WHERE id = ?", this::center, id);
  }

  @Override
  public Optional<Center> centerByCode(long tenantId, String code) {
    return sql.one("SELECT " + CENTER_COLUMNS + " FROM center WHERE tenant_id = ? AND code = ?",
        this::center, tenantId, code);
  }

  @Override
  public List<Center> centers(long tenantId) {
    return sql.list("SELECT " + CENTER_COLUMNS + " FROM center WHERE tenant_id = ? ORDER BY code",
        this::center, tenantId);
  }

  // --- queues

  private static final String QUEUE_COLUMNS = "id, center_id, code, name, policy, max_chats_per_agent, priority, "
      + "prefer_previous_agent, overflow_queue_id, overflow_after_seconds, status";

  private static Queue queue(ResultSet rs) throws SQLException {
    return new Queue(rs.getLong("id"), rs.getLong("center_id"), rs.getString("code"), rs.getString("name"),
        RoutingPolicy.valueOf(rs.getString("policy")), rs.getInt("max_chats_per_agent"), rs.getInt("priority"),
        rs.getBoolean("prefer_previous_agent"), Sql.nullableLong(rs, "overflow_queue_id"),
        Sql.nullableInt(rs, "overflow_after_seconds"), rs.getString("status").equals("ACTIVE"));
  }

  @Override
  public Queue insertQueue(long centerId, NewQueue q) {
    long id = duplicateAware(() -> sql.insert("""
        INSERT INTO chat_queue (center_id, code, name, policy, max_chats_per_agent, priority, prefer_previous_agent,
                                overflow_queue_id, overflow_after_seconds, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, centerId, q.code(), q.name(), q.policy(), q.maxChatsPerAgent(), q.priority(), q.preferPreviousAgent(),
        q.overflowQueueId(), q.overflowAfterSeconds(), clock.instant()));
    return new Queue(id, centerId, q.code(), q.name(), q.policy(), q.maxChatsPerAgent(), q.priority(),
        q.preferPreviousAgent(), q.overflowQueueId(), q.overflowAfterSeconds(), true);
  }

  @Override
  public Optional<Queue> queue(long id) {
    return sql.one("SELECT " + QUEUE_COLUMNS + " FROM chat_queue WHERE id = ?", JdbcDirectoryStore::queue, id);
  }

  @Override
  public Optional<Queue> queueByCode(long centerId, String code) {
    return sql.one("SELECT " + QUEUE_COLUMNS + " FROM chat_queue WHERE center_id = ? AND code = ?",
        JdbcDirectoryStore::queue, centerId, code);
  }

  @Override
  public List<Queue> queues(long centerId) {
    return sql.list("SELECT " + QUEUE_COLUMNS + " FROM chat_queue WHERE center_id = ? ORDER BY code",
        JdbcDirectoryStore::queue, centerId);
  }

  // --- categories

  private static final String CATEGORY_COLUMNS = "id, tenant_id, parent_id, level, name, enabled";

  private static Category category(ResultSet rs) throws SQLException {
    return new Category(rs.getLong("id"), rs.getLong("tenant_id"), Sql.nullableLong(rs, "parent_id"),
        rs.getInt("level"), rs.getString("name"), rs.getBoolean("enabled"));
  }

  @Override
  public Category insertCategory(long tenantId, Long parentId, int level, String name) {
    long id = sql.insert("""
        INSERT INTO category (tenant_id, parent_id, level, name) VALUES (?, ?, ?, ?)
        """, tenantId, parentId, level, name);
    return new Category(id, tenantId, parentId, level, name, true);
  }

  @Override
  public Optional<Category> category(long id) {
    return sql.one("SELECT " + CATEGORY_COLUMNS + " FROM category WHERE id = ?", JdbcDirectoryStore::category, id);
  }

  @Override
  public List<Category> categories(long tenantId) {
    return sql.list("SELECT " + CATEGORY_COLUMNS + " FROM category WHERE tenant_id = ? ORDER BY level, sort_order, id",
        JdbcDirectoryStore::category, tenantId);
  }

  @Override
  public void updateCategory(long id, String name, boolean enabled) {
    sql.update("UPDATE category SET name = ?, enabled = ? WHERE id = ?", name, enabled, id);
  }

  // --- users

  /** One row per user, with the queues they serve folded into a comma-separated list. */
  private static final String USER_SELECT = """
      SELECT u.id, u.tenant_id, u.center_id, u.username, u.display_name, u.role, u.max_chats, u.status,
             (SELECT GROUP_CONCAT(uq.queue_id) FROM user_queue uq WHERE uq.user_id = u.id) AS queue_ids
      FROM app_user u
      """;

  private static User user(ResultSet rs) throws SQLException {
    Set<Long> queueIds = new HashSet<>();
    String ids = rs.getString("queue_ids");
    if (ids != null) {
      for (String id : ids.split(",")) {
        queueIds.add(Long.parseLong(id));
      }
    }
    return new User(rs.getLong("id"), Sql.nullableLong(rs, "tenant_id"), Sql.nullableLong(rs, "center_id"),
        rs.getString("username"), rs.getString("display_name"), Role.valueOf(rs.getString("role")),
        Sql.nullableInt(rs, "max_chats"), Set.copyOf(queueIds), rs.getString("status").equals("ACTIVE"));
  }

  @Override
  public User insertUser(NewUser u) {
    long id = duplicateAware(() -> sql.transaction(c -> {
      long userId = Sql.insert(c, """
          INSERT INTO app_user (tenant_id, center_id, username, display_name, role, password_hash, max_chats, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """, u.tenantId(), u.centerId(), u.username(), u.name(), u.role(), u.passwordHash(), u.maxChats(),
          clock.instant());
      for (long queueId : u.queueIds()) {
        Sql.update(c, "INSERT INTO user_queue (user_id, queue_id) VALUES (?, ?)", userId, queueId);
      }
      return userId;
    }));
    return user(id).orElseThrow();
  }

  @Override
  public Optional<User> user(long id) {
    return sql.one(USER_SELECT + " WHERE u.id = ?", JdbcDirectoryStore::user, id);
  }

  @Override
  public Optional<User> userByUsername(long tenantId, String username) {
    return sql.one(USER_SELECT + " WHERE u.tenant_id = ? AND u.username = ?", JdbcDirectoryStore::user, tenantId,
        username);
  }

  @Override
  public List<User> users(long tenantId) {
    return sql.list(USER_SELECT + " WHERE u.tenant_id = ? ORDER BY u.username", JdbcDirectoryStore::user, tenantId);
  }

  @Override
  public void updateTenant(long id, String name, boolean enabled) {
    sql.update("UPDATE tenant SET name = ?, status = ? WHERE id = ?", name, status(enabled), id);
  }

  @Override
  public void updateCenter(long id, String name, String timezone, boolean enabled) {
    sql.update("UPDATE center SET name = ?, timezone = ?, status = ? WHERE id = ?", name, timezone, status(enabled),
        id);
  }

  @Override
  public void updateQueue(long id, NewQueue q, boolean enabled) {
    sql.update("""
        UPDATE chat_queue SET name = ?, policy = ?, max_chats_per_agent = ?, priority = ?, prefer_previous_agent = ?,
               overflow_queue_id = ?, overflow_after_seconds = ?, status = ?
        WHERE id = ?
        """, q.name(), q.policy(), q.maxChatsPerAgent(), q.priority(), q.preferPreviousAgent(), q.overflowQueueId(),
        q.overflowAfterSeconds(), status(enabled), id);
  }

  @Override
  public void updateUser(long id, Long centerId, String name, Role role, Integer maxChats, Set<Long> queueIds,
      boolean enabled) {
    sql.transaction(c -> {
      Sql.update(c, """
          UPDATE app_user SET center_id = ?, display_name = ?, role = ?, max_chats = ?, status = ? WHERE id = ?
          """, centerId, name, role, maxChats, status(enabled), id);
      Sql.update(c, "DELETE FROM user_queue WHERE user_id = ?", id);
      for (long queueId : queueIds) {
        Sql.update(c, "INSERT INTO user_queue (user_id, queue_id) VALUES (?, ?)", id, queueId);
      }
      return null;
    });
  }

  @Override
  public void updatePassword(long userId, String passwordHash) {
    sql.update("UPDATE app_user SET password_hash = ? WHERE id = ?", passwordHash, userId);
  }

  @Override
  public void renameUser(long userId, String username) {
    duplicateAware(() -> sql.update("UPDATE app_user SET username = ? WHERE id = ?", username, userId));
  }

  private static String status(boolean enabled) {
    return enabled ? "ACTIVE" : "DISABLED";
  }

  @Override
  public long userCount() {
    return sql.one("SELECT COUNT(*) FROM app_user", rs -> rs.getLong(1)).orElse(0L);
  }

  private static long duplicateAware(java.util.function.LongSupplier insert) {
    try {
      return insert.getAsLong();
    } catch (StoreException e) {
      if (Sql.isDuplicate(e)) {
        throw new DuplicateException(e.getMessage());
      }
      throw e;
    }
  }
}
