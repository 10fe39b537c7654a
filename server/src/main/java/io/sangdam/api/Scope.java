package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.SangdamException;
import java.util.Locale;

/** The path's tenant and center as the caller may see them, and ids in paths; out of scope is not found. */
final class Scope {
  private Scope() {}

  /** The {@code {tenant}} of the path (codes match case-insensitively). */
  static Tenant tenant(Directory directory, Call call) {
    String code = call.param("tenant");
    return Access.requireTenant(call.principal(), directory.tenantByCode(code.toLowerCase(Locale.ROOT)).orElse(null),
        code);
  }

  /** The {@code {center}} of the path, in {@code tenant}. */
  static Center center(Directory directory, Call call, Tenant tenant) {
    String code = call.param("center");
    return Access.requireCenter(call.principal(), directory.center(tenant.id(), code.toLowerCase(Locale.ROOT))
        .orElse(null), code);
  }

  /** A numeric id in the path; anything else names nothing. */
  static long id(Call call, String param, String what) {
    try {
      return Long.parseLong(call.param(param));
    } catch (NumberFormatException e) {
      throw SangdamException.notFound(what + " '" + call.param(param) + "'");
    }
  }
}
