package io.sangdam.store;

import io.sangdam.auth.CustomRole;
import io.sangdam.auth.Permission;
import io.sangdam.auth.RoleStore;
import io.sangdam.directory.Role;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Custom roles, their permissions and centers, and who holds them, in MariaDB. */
public final class JdbcRoleStore implements RoleStore {
  /** One row per role, its permissions and centers folded into comma-separated lists. */
  static final String ROLE_SELECT = """
      SELECT r.id, r.tenant_id, r.name, r.base_role,
             (SELECT GROUP_CONCAT(p.permission) FROM custom_role_permission p WHERE p.role_id = r.id) AS permissions,
             (SELECT GROUP_CONCAT(c.center_id) FROM custom_role_center c WHERE c.role_id = r.id) AS center_ids
      FROM custom_role r
      """;

  static final String ROLE_OF_USER = ROLE_SELECT + " JOIN app_user u ON u.custom_role_id = r.id WHERE u.id = ?";

  private final Sql sql;

  public JdbcRoleStore(Database db) {
    this.sql = new Sql(db);
  }

  /** A permission code no longer known (a downgrade) is dropped: a role never holds more than this build knows. */
  static CustomRole role(ResultSet rs) throws SQLException {
    String permissions = rs.getString("permissions");
    String centers = rs.getString("center_ids");
    return new CustomRole(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("name"),
        Role.valueOf(rs.getString("base_role")),
        permissions == null ? Set.of() : Arrays.stream(permissions.split(",")).map(Permission::byCode)
            .flatMap(Optional::stream).collect(Collectors.toSet()),
        centers == null ? Set.of() : Arrays.stream(centers.split(",")).map(Long::valueOf).collect(Collectors.toSet()));
  }

  @Override
  public List<CustomRole> roles(long tenantId) {
    return sql.list(ROLE_SELECT + " WHERE r.tenant_id = ? ORDER BY r.name", JdbcRoleStore::role, tenantId);
  }

  @Override
  public Optional<CustomRole> role(long tenantId, long id) {
    return sql.one(ROLE_SELECT + " WHERE r.tenant_id = ? AND r.id = ?", JdbcRoleStore::role, tenantId, id);
  }

  @Override
  public CustomRole insert(long tenantId, String name, Role base, Set<Permission> permissions, Set<Long> centerIds,
      Instant at) {
    long id = unique(() -> sql.transaction(c -> {
      long roleId = Sql.insert(c, """
          INSERT INTO custom_role (tenant_id, name, base_role, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
          """, tenantId, name, base.name(), at, at);
      writeGrants(c, roleId, permissions, centerIds);
      return roleId;
    }));
    return role(tenantId, id).orElseThrow();
  }

  @Override
  public CustomRole update(CustomRole role, Instant at) {
    unique(() -> sql.transaction(c -> {
      Sql.update(c, "UPDATE custom_role SET name = ?, updated_at = ? WHERE id = ?", role.name(), at, role.id());
      Sql.update(c, "DELETE FROM custom_role_permission WHERE role_id = ?", role.id());
      Sql.update(c, "DELETE FROM custom_role_center WHERE role_id = ?", role.id());
      writeGrants(c, role.id(), role.permissions(), role.centerIds());
      return role.id();
    }));
    return role(role.tenantId(), role.id()).orElseThrow();
  }

  private static void writeGrants(Connection c, long roleId, Set<Permission> permissions, Set<Long> centerIds)
      throws SQLException {
    for (Permission p : permissions) {
      Sql.update(c, "INSERT INTO custom_role_permission (role_id, permission) VALUES (?, ?)", roleId, p.code());
    }
    for (long centerId : centerIds) {
      Sql.update(c, "INSERT INTO custom_role_center (role_id, center_id) VALUES (?, ?)", roleId, centerId);
    }
  }

  @Override
  public boolean deleteUnheld(CustomRole role) {
    // The user row's key to the role refuses the delete if someone was given it meanwhile.
    return sql.transaction(c -> {
      if (Sql.list(c, "SELECT id FROM app_user WHERE custom_role_id = ? LIMIT 1 FOR UPDATE", rs -> rs.getLong(1),
          role.id()).isEmpty()) {
        Sql.update(c, "DELETE FROM custom_role WHERE id = ?", role.id());
        return true;
      }
      return false;
    });
  }

  @Override
  public List<Long> holders(CustomRole role) {
    return sql.list("SELECT id FROM app_user WHERE custom_role_id = ? ORDER BY id", rs -> rs.getLong(1), role.id());
  }

  @Override
  public Optional<CustomRole> roleOf(long userId) {
    return sql.one(ROLE_OF_USER, JdbcRoleStore::role, userId);
  }

  @Override
  public Map<Long, CustomRole> rolesOfUsers(long tenantId) {
    Map<Long, CustomRole> byId = roles(tenantId).stream().collect(Collectors.toMap(CustomRole::id, r -> r));
    Map<Long, CustomRole> byUser = new HashMap<>();
    sql.list("SELECT id, custom_role_id FROM app_user WHERE tenant_id = ? AND custom_role_id IS NOT NULL",
        rs -> Map.entry(rs.getLong(1), rs.getLong(2)), tenantId)
        .forEach(e -> byUser.put(e.getKey(), byId.get(e.getValue())));
    return byUser;
  }

  @Override
  public void assign(long userId, CustomRole role, Role builtIn) {
    sql.update("UPDATE app_user SET custom_role_id = ?, role = ? WHERE id = ?", role == null ? null : role.id(),
        role == null ? builtIn.name() : role.base().name(), userId);
  }

  private static long unique(Supplier<Long> write) {
    try {
      return write.get();
    } catch (StoreException e) {
      if (Sql.isDuplicateOf(e, "uk_custom_role_name")) {
        throw new DuplicateName(e.getMessage());
      }
      throw e;
    }
  }
}
