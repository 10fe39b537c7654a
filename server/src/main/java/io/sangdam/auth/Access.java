package io.sangdam.auth;

import io.sangdam.directory.Center;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.util.Arrays;

/**
 * The one place roles and scopes are checked. A caller without the role gets {@code forbidden};
 * a resource outside the caller's scope is reported {@code not_found}, exactly as if it did not
 * exist, so ids and codes cannot be probed.
 */
public final class Access {
  private Access() {}

  public static void requireRole(Principal p, Role... allowed) {
    if (Arrays.stream(allowed).noneMatch(r -> r == p.role())) {
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
      case CENTER_MANAGER, AGENT -> Long.valueOf(centerId).equals(p.centerId());
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

  /** Whether {@code p} may create a user with {@code role}: never above their own level. */
  public static void requireMayGrant(Principal p, Role role) {
    boolean allowed = switch (p.role()) {
      case HQ_ADMIN -> role != Role.HQ_ADMIN;
      case TENANT_ADMIN -> role != Role.HQ_ADMIN;
      case CENTER_MANAGER -> role == Role.AGENT;
      case AGENT -> false;
    };
    if (!allowed) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "role " + p.role() + " may not create a user with role " + role);
    }
  }
}
