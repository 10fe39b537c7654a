package io.sangdam.auth;

import io.sangdam.directory.Role;
import io.sangdam.directory.User;
import java.util.Set;

/**
 * An authenticated user with the codes of their tenant and center (null for HQ, and for users above a center),
 * and their custom role if they have one (null: the built-in role's permissions apply). Read at sign-in and
 * when a token is looked up again; a change of role signs the user out, so a principal never outlives its role.
 */
public record Principal(User user, String tenantCode, String centerCode, CustomRole customRole) {
  public Principal(User user, String tenantCode, String centerCode) {
    this(user, tenantCode, centerCode, null);
  }

  public long id() {
    return user.id();
  }

  /** The built-in role: the user's own, or their custom role's base. */
  public Role role() {
    return user.role();
  }

  public Long tenantId() {
    return user.tenantId();
  }

  public Long centerId() {
    return user.centerId();
  }

  /** What they may do: their custom role's permissions in place of the built-in role's. */
  public Set<Permission> permissions() {
    return customRole == null ? Permission.of(user.role()) : customRole.permissions();
  }

  public boolean may(Permission permission) {
    return permissions().contains(permission);
  }

  /** Centers beyond their own that their custom role lets them see. */
  public Set<Long> extraCenters() {
    return customRole == null ? Set.of() : customRole.centerIds();
  }

  /** The same sign-in after an administrator changed the user's queues, capacity or name. */
  public Principal with(User changed) {
    return new Principal(changed, tenantCode, centerCode, customRole);
  }
}
