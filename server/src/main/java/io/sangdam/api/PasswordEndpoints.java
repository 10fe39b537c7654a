package io.sangdam.api;

import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Authenticator;
import io.sangdam.auth.PasswordChanges;
import io.sangdam.auth.Principal;
import io.sangdam.auth.SecurityPolicies;
import io.sangdam.auth.SecurityPolicy;
import io.sangdam.protocol.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The signed-in user's own password and session: the rules a new password must meet, the change itself
 * (which signs out every other session of theirs and answers a new token), and how long this sign-in
 * lasts. A sign-in that must change its password first may call the password routes, and nothing else.
 * Every change, and every wrong current password, is audited.
 */
public final class PasswordEndpoints implements Endpoints {
  private final PasswordChanges passwords;
  private final SecurityPolicies policies;
  private final Authenticator authenticator;
  private final AuditLog audit;
  private final Api.UserSessions sessions;

  public PasswordEndpoints(PasswordChanges passwords, SecurityPolicies policies, Authenticator authenticator,
      AuditLog audit, Api.UserSessions sessions) {
    this.passwords = passwords;
    this.policies = policies;
    this.authenticator = authenticator;
    this.audit = audit;
    this.sessions = sessions;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/me/password", true, this::status),
        new Route("POST", "/api/me/password", true, this::change),
        new Route("GET", "/api/me/session", true, this::session));
  }

  /** {@code {"changeRequired","expiresAt","rules":{"minLength","charClasses","reuseLimit","expiryDays"}}}. */
  private ApiResponse status(Call call) {
    Principal p = call.principal();
    PasswordChanges.Status status = passwords.status(p.id(), p.tenantId());
    SecurityPolicy policy = status.policy();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("changeRequired", status.changeRequired());
    answer.put("expiresAt", status.expiresAt() == null ? null : status.expiresAt().toString());
    answer.put("rules", Map.of("minLength", policy.minLength(), "charClasses", policy.charClasses(),
        "reuseLimit", policy.reuseLimit(), "expiryDays", policy.expiryDays()));
    return ApiResponse.ok(answer);
  }

  /**
   * {@code {"current","new"}}: answered later (the passwords are checked on the hashing pool) with
   * {@code {"token","expiresAt"}}, a new full sign-in; every other token of the user stops working.
   */
  private ApiResponse change(Call call) {
    Principal p = call.principal();
    Fields body = call.body();
    String current = body.string("current", SecurityPolicy.MAX_LENGTH);
    String next = body.string("new", SecurityPolicy.MAX_LENGTH);
    String address = call.request().remoteAddress();
    String target = (p.tenantCode() == null ? "" : p.tenantCode() + "/") + p.user().username();
    return ApiResponse.later(passwords.change(p, current, next, address).handle((done, e) -> {
      if (e != null) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof PasswordChanges.WrongCurrent wrong) {
          audit.record(new AuditEntry(p.id(), p.user().username(), p.tenantId(), p.centerId(),
              "auth.password.failed", target, wrong.getMessage(), address));
          wrong.trips().forEach(limit -> audit.record(new AuditEntry(p.id(), p.user().username(), p.tenantId(),
              p.centerId(), "auth.login.throttled", target, limit, address)));
        }
        throw e instanceof CompletionException c ? c : new CompletionException(e);
      }
      sessions.signOut(p.id());
      Authenticator.Login login = authenticator.issue(new Authenticator.Candidate(p.id(), null, true, true));
      audit.record(new AuditEntry(p.id(), p.user().username(), p.tenantId(), p.centerId(), "auth.password.changed",
          target, "by the user; their other sessions were signed out", address));
      return ApiResponse.ok(Map.of("token", login.token(), "expiresAt", login.expiresAt().toString()));
    }));
  }

  /** {@code {"expiresAt","idleMinutes"}}: when this sign-in ends unless renewed, and after how long unused (0: never). */
  private ApiResponse session(Call call) {
    String token = call.request().authorization().substring(7).trim();
    return ApiResponse.ok(Map.of("expiresAt", authenticator.expiresAt(token).toString(),
        "idleMinutes", policies.of(call.principal().tenantId()).idleMinutes()));
  }
}
