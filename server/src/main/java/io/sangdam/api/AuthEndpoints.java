package io.sangdam.api;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Authenticator;
import io.sangdam.auth.Principal;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code POST /api/login} and {@code POST /api/logout}. Every login, refused or not, is audited with its address. */
final class AuthEndpoints {
  private final Authenticator authenticator;
  private final Directory directory;
  private final AuditLog audit;

  AuthEndpoints(Authenticator authenticator, Directory directory, AuditLog audit) {
    this.authenticator = authenticator;
    this.directory = directory;
    this.audit = audit;
  }

  List<Route> routes() {
    return List.of(
        new Route("POST", "/api/login", false, this::login),
        new Route("POST", "/api/logout", true, this::logout));
  }

  private ApiResponse login(Call call) {
    Fields body = call.body();
    Optional<String> tenant = body.optSlug("tenant");
    String username = body.string("username", 64);
    Authenticator.Login login;
    try {
      login = authenticator.login(tenant, username, body.string("password", 200));
    } catch (SangdamException e) {
      if (e.code() == ErrorCode.UNAUTHORIZED) {
        audit.record(new AuditEntry(null, username, tenant.flatMap(directory::tenantByCode).map(Tenant::id)
            .orElse(null), null, "auth.login.failed", tenant.map(t -> t + "/").orElse("") + username, e.getMessage(),
            call.request().remoteAddress()));
      }
      throw e;
    }
    Principal p = login.principal();
    audit.record(new AuditEntry(p.id(), p.user().username(), p.tenantId(), p.centerId(), "auth.login",
        tenant.map(t -> t + "/").orElse("") + username, null, call.request().remoteAddress()));
    return ApiResponse.ok(Map.of("token", login.token(), "user", user(p)));
  }

  private ApiResponse logout(Call call) {
    String header = call.request().authorization();
    authenticator.logout(header.substring(7).trim());
    return ApiResponse.noContent();
  }

  static Map<String, Object> user(Principal p) {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("id", p.id());
    user.put("username", p.user().username());
    user.put("name", p.user().name());
    user.put("role", p.role().name());
    user.put("tenant", p.tenantCode());
    user.put("center", p.centerCode());
    return user;
  }
}
