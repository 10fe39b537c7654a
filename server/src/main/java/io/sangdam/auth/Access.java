package io.sangdam.auth;

import io.sangdam.directory.Center;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.util.Arrays;
import java.util.Collection;

/**
 * The one place permissions and scopes are checked. A caller without the permission gets {@code forbidden};
 * a resource outside the caller's scope is reported {@code not_found}, exactly as if it did not exist, so ids
 * and codes cannot be probed. What a user may do is a set of {@link Permission}s (their built-in role's, or
 * their custom role's); where is the scope of their built-in role (HQ: everything, a tenant admin: the tenant,
 * a center manager or agent: their center, plus the extra centers of a custom role).
 */
public final class Access {
  private Access() {}

  public static void require(Principal p, Permission permission) {
    if (!p.may(permission)) {
      throw new SangdamException(ErrorCode.FORBIDDEN, (p.customRole() == null ? "role " + p.role()
          : "role '" + p.customRole().name() + "'") + " may not do this (needs " + permission.code() + ")");
    }
  }

  /**
   * A check by built-in role, for checks not yet mapped to a {@link Permission}: a custom role never passes
   * it (whatever its base), so a new check is closed to custom roles until it names its permission.
   */
  public static void requireRole(Principal p, Role... allowed) {
    if (p.customRole() != null || Arrays.stream(allowed).noneMatch(r -> r == p.role())) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "role " + p.role() + " may not do this");
    }
  }

  /** For what spans a whole tenant (comparing its centers): HQ and tenant-wide roles only. */
  public static void requireTenantWide(Principal p) {
    if (p.role() != Role.HQ_ADMIN && p.role() != Role.TENANT_ADMIN) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "only tenant-wide roles may do this");
    }
  }

  /** For what the consoles of managers and admins read to find their way (a tenant's centers): no agent's role. */
  public static void requireAboveAgent(Principal p) {
    if (p.role() == Role.AGENT) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "role " + p.role() + " may not do this");
    }
  }

  public static boolean sees(Principal p, Tenant tenant) {
    return p.role() == Role.HQ_ADMIN || Long.valueOf(tenant.id()).equals(p.tenantId());
  }

  public static boolean sees(Principal p, Center center) {
    return sees(p, center.tenantId(), center.id());
  }

  /** The same by ids: for what carries them (a conversation), where a directory look-up would be a query. */
  public static boolean sees(Principal p, long tenantId, long centerId) {
    return switch (p.role()) {
      case HQ_ADMIN -> true;
      case TENANT_ADMIN -> Long.valueOf(tenantId).equals(p.tenantId());
      case CENTER_MANAGER, AGENT -> Long.valueOf(tenantId).equals(p.tenantId())
          && (Long.valueOf(centerId).equals(p.centerId()) || p.extraCenters().contains(centerId));
    };
  }

  public static Tenant requireTenant(Principal p, Tenant tenant, String code) {
    if (tenant == null || !sees(p, tenant)) {
      throw SangdamException.notFound("tenant '" + code + "'");
    }
    return tenant;
  }

  public static Center requireCenter(Principal p, Center center, String code) {
    if (center == null || !sees(p, center)) {
      throw SangdamException.notFound("center '" + code + "'");
    }
    return center;
  }

  /** Whether {@code p} may create a user with the built-in {@code role}. */
  public static void requireMayGrant(Principal p, Role role) {
    requireMayGrant(p, role, Permission.of(role));
  }

  /**
   * Whether {@code p} may give someone the level of {@code base} with {@code permissions}: never above their own
   * level, never a permission they do not hold (which matters for a custom role's holder), never one that reaches
   * past a tenant.
   */
  public static void requireMayGrant(Principal p, Role base, Collection<Permission> permissions) {
    boolean allowed = switch (p.role()) {
      case HQ_ADMIN -> base != Role.HQ_ADMIN;
      case TENANT_ADMIN -> base != Role.HQ_ADMIN;
      case CENTER_MANAGER -> base == Role.AGENT;
      case AGENT -> false;
    };
    if (!allowed) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "role " + p.role() + " may not create a user with role " + base);
    }
    for (Permission permission : permissions) {
      if (permission.hqOnly() || !p.may(permission)) {
        throw new SangdamException(ErrorCode.FORBIDDEN, "you may not grant " + permission.code()
            + (permission.hqOnly() ? " (it reaches past one tenant)" : " (you do not hold it)"));
      }
    }
  }
}
