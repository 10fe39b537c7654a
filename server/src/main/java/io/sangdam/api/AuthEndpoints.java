package io.sangdam.api;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Authenticator;
import io.sangdam.auth.CompanyDirectory;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.auth.SecurityPolicies;
import io.sangdam.auth.SignIn;
import io.sangdam.auth.SignInThrottle;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /api/login}, {@code POST /api/logout} and {@code POST /api/token/renew}. Every login, refused
 * or not, is audited with its address; of those the throttle refuses, the first of each window and then
 * every tenfold count, and every limit reached. A login whose password must be changed first says so
 * ({@code passwordChangeRequired}); one from outside the address ranges of the user's policy is refused.
 */
public final class AuthEndpoints implements Endpoints {
  private final Authenticator authenticator;
  private final SignIn signIn;
  private final Directory directory;
  private final AuditLog audit;
  private final Api.UserSessions sessions;
  private final SecurityPolicies policies;

  public AuthEndpoints(Authenticator authenticator, SignIn signIn, Directory directory, AuditLog audit,
      Api.UserSessions sessions, SecurityPolicies policies) {
    this.authenticator = authenticator;
    this.signIn = signIn;
    this.directory = directory;
    this.audit = audit;
    this.sessions = sessions;
    this.policies = policies;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("POST", "/api/login", false, this::login),
        new Route("POST", "/api/logout", true, this::logout),
        new Route("POST", "/api/token/renew", true, this::renew));
  }

  /** Answered later: the password is checked on the hashing pool, and no blocking thread waits for it. */
  private ApiResponse login(Call call) {
    Fields body = call.body();
    Optional<String> tenant = body.optSlug("tenant");
    String username = body.string("username", 64);
    String password = body.string("password", 200);
    String target = tenant.map(t -> t + "/").orElse("") + username;
    String address = call.request().remoteAddress();
    try {
      return ApiResponse.later(signIn.logIn(tenant, username, password, address).handle((login, e) -> {
        if (e == null) {
          Principal p = login.principal();
          try {
            policies.requireAddress(p, address);
          } catch (RuntimeException refused) {
            authenticator.logout(login.token());
            throw refused;
          }
          audit.record(new AuditEntry(p.id(), p.user().username(), p.tenantId(), p.centerId(), "auth.login", target,
              login.passwordChangeOnly() ? "the password must be changed first" : null, address));
          Map<String, Object> answer = new LinkedHashMap<>();
          answer.put("token", login.token());
          answer.put("user", user(p));
          answer.put("expiresAt", login.expiresAt().toString());
          answer.put("passwordChangeRequired", login.passwordChangeOnly());
          return ApiResponse.ok(answer);
        }
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof SignIn.Denied denied) {
          Long tenantId = tenant.flatMap(directory::tenantByCode).map(Tenant::id).orElse(null);
          audit.record(new AuditEntry(null, username, tenantId, null, "auth.login.failed", target,
              denied.getMessage(), address));
          denied.trips().forEach(limit -> audit.record(new AuditEntry(null, username, tenantId, null,
              "auth.login.throttled", target, limit, address)));
        }
        if (cause instanceof CompanyDirectory.Refused refused) {
          audit.record(new AuditEntry(null, username, tenant.flatMap(directory::tenantByCode).map(Tenant::id)
              .orElse(null), null, "auth.login.refused_by_company", target, "LDAP: " + refused.detail(), address));
        }
        throw e instanceof CompletionException c ? c : new CompletionException(e);
      }));
    } catch (SignInThrottle.Refused e) {
      if (e.worthAuditing()) {
        audit.record(new AuditEntry(null, username, tenant.flatMap(directory::tenantByCode).map(Tenant::id)
            .orElse(null), null, "auth.login.refused", target, e.getMessage() + " (refusal " + e.refusals()
            + " in this window)", address));
      }
      throw e;
    }
  }

  /** Revokes the token, and closes the console sockets that signed in with it. */
  private ApiResponse logout(Call call) {
    String token = call.request().authorization().substring(7).trim();
    authenticator.logout(token);
    sessions.loggedOut(call.principal().id(), token);
    return ApiResponse.noContent();
  }

  /** {@code {"expiresAt"}}: the caller's token lives its full lifetime again from now. */
  private ApiResponse renew(Call call) {
    String token = call.request().authorization().substring(7).trim();
    return ApiResponse.ok(Map.of("expiresAt", authenticator.renew(token).toString()));
  }

  static Map<String, Object> user(Principal p) {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("id", p.id());
    user.put("username", p.user().username());
    user.put("name", p.user().name());
    user.put("role", p.role().name());
    user.put("tenant", p.tenantCode());
    user.put("center", p.centerCode());
    user.put("permissions", p.permissions().stream().sorted().map(Permission::code).toList());
    user.put("customRole", RoleEndpoints.reference(p.customRole()));
    return user;
  }
}
