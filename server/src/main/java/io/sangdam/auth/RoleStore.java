package io.sangdam.auth;

import io.sangdam.directory.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A tenant's custom roles and who holds them. Implemented in {@code store}; every method blocks on the database. */
public interface RoleStore {
  List<CustomRole> roles(long tenantId);

  Optional<CustomRole> role(long tenantId, long id);

  /** Throws {@link DuplicateName} when the tenant has a role of that name. */
  CustomRole insert(long tenantId, String name, Role base, Set<Permission> permissions, Set<Long> centerIds,
      Instant at);

  /** Replaces name, permissions and centers; throws {@link DuplicateName} as {@link #insert} does. */
  CustomRole update(CustomRole role, Instant at);

  /** Deletes it unless a user holds it; false (nothing deleted) when one does. */
  boolean deleteUnheld(CustomRole role);

  /** The ids of the users who hold it. */
  List<Long> holders(CustomRole role);

  /** The custom role the user holds, if any. */
  Optional<CustomRole> roleOf(long userId);

  /** The custom role of each user of the tenant who has one, by user id. */
  Map<Long, CustomRole> rolesOfUsers(long tenantId);

  /**
   * Gives the user {@code role} (null: none) and sets their built-in role to its base (or {@code builtIn}), in one
   * statement, so that a user never holds a custom role over another base.
   */
  void assign(long userId, CustomRole role, Role builtIn);

  final class DuplicateName extends RuntimeException {
    public DuplicateName(String message) {
      super(message);
    }
  }
}
