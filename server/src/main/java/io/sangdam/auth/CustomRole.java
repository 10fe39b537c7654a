package io.sangdam.auth;

import io.sangdam.directory.Role;
import java.util.Set;

/**
 * A role a tenant shaped: its users keep {@code base} as their {@code user.role} (so clients that know only the
 * built-in roles still work, and it decides the scope: tenant-wide, or the user's center), but may do only what
 * {@code permissions} says, in place of the base role's set. {@code centerIds}: centers beyond the user's own
 * that a center-based role sees (a reviewer of several centers); empty for the others.
 */
public record CustomRole(long id, long tenantId, String name, Role base, Set<Permission> permissions,
    Set<Long> centerIds) {
  public CustomRole {
    permissions = Set.copyOf(permissions);
    centerIds = Set.copyOf(centerIds);
  }
}
