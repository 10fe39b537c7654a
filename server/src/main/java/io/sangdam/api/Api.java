package io.sangdam.api;

import static java.util.Objects.requireNonNull;

import io.sangdam.auth.Authenticator;
import io.sangdam.auth.Secrets;
import io.sangdam.auth.SecurityPolicies;
import io.sangdam.auth.Visitors;
import io.sangdam.directory.User;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.TryAgainLater;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches a request to its route, authenticates the caller and runs the handler on the blocking
 * executor. Every failure becomes PROTOCOL.md's error shape; a stack trace never leaves the server.
 */
public final class Api {
  private static final Logger log = LoggerFactory.getLogger(Api.class);
  /** What a sign-in that must change its password first may do: that, say who it is, and sign out. */
  private static final Set<String> PASSWORD_CHANGE_ROUTES = Set.of("POST /api/me/password", "GET /api/me/password",
      "GET /api/me", "POST /api/logout");

  private final Json json;
  private final Authenticator authenticator;
  private final SecurityPolicies policies;
  private final Visitors visitors;
  private final ManagementAudit managementAudit;
  private final int maxRequestBytes;
  private final int maxUploadBytes;
  private final Executor blocking;
  private final Health health;
  private final List<Route> routes;

  /**
   * {@code groups}: every endpoint group, in the order their routes are matched (and listed in
   * {@link #routeTable}); {@code maxRequestBytes} and {@code maxUploadBytes}: the largest body of a
   * request, and of a file upload.
   */
  public Api(Json json, Authenticator authenticator, SecurityPolicies policies, Visitors visitors,
      ManagementAudit managementAudit, Health health, Executor blocking, int maxRequestBytes, int maxUploadBytes,
      List<Endpoints> groups) {
    this.json = requireNonNull(json, "json");
    this.authenticator = requireNonNull(authenticator, "authenticator");
    this.policies = requireNonNull(policies, "policies");
    this.visitors = requireNonNull(visitors, "visitors");
    this.managementAudit = requireNonNull(managementAudit, "managementAudit");
    this.health = requireNonNull(health, "health");
    this.blocking = requireNonNull(blocking, "blocking");
    this.maxRequestBytes = maxRequestBytes;
    this.maxUploadBytes = maxUploadBytes;
    this.routes = requireNonNull(groups, "groups").stream().flatMap(g -> g.routes().stream()).toList();
  }

  /** What an administrator's change to a user does to that user's live sessions. */
  public interface UserSessions {
    /** Revokes every token of the user and closes their consoles. */
    void signOut(long userId);

    /** The user's queues, capacity or name changed: their open consoles work with the new ones. */
    void changed(User user);

    /** The user logged {@code token} out: the console sockets that signed in with it close. */
    void loggedOut(long userId, String token);
  }

  /** Liveness (the database answers) and readiness (migrations ran, routing engines loaded, the database answers). */
  public interface Health {
    /** The database answered its last probe; read on every request, so it must not wait. */
    boolean live();

    boolean ready();

    /** The meters in the Prometheus text format. */
    String metrics();
  }

  /** Every route as {@code "METHOD /pattern"}, and who may call it: for the docs and the tests that check them. */
  public Map<String, String> routeTable() {
    Map<String, String> table = new java.util.LinkedHashMap<>();
    routes.forEach(r -> table.put(r.method() + " " + r.pattern(), r.callers().name()));
    return table;
  }

  /** The largest request body accepted on {@code path}: files may be larger than anything else. */
  public int maxBodyBytes(String path) {
    return isUpload(path) ? maxUploadBytes : maxRequestBytes;
  }

  private static boolean isUpload(String path) {
    return path.startsWith("/api/conversations/") && path.endsWith("/attachments");
  }

  /**
   * Whether a request to {@code path} with this {@code Authorization} header may send its body: an
   * upload (the one large body) only with a bearer token of a token's shape, so that an anonymous
   * client cannot make the server read and hold megabytes before its caller is checked. The token
   * itself is checked with the request, as every other.
   */
  public boolean mayCarryBody(String path, String authorization) {
    if (!isUpload(path)) {
      return true;
    }
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && Secrets.looksLikeToken(authorization.substring(7).trim());
  }

  public int largestBodyBytes() {
    return Math.max(maxRequestBytes, maxUploadBytes);
  }

  /** The methods {@code path} answers to, for the {@code Allow} header of a 405; empty for an unknown path. */
  public List<String> allowedMethods(String path) {
    return routes.stream().filter(r -> r.match(path).isPresent()).map(Route::method).distinct().toList();
  }

  /**
   * Whether {@code path} belongs to the API (the rest of the port serves files and WebSockets): the
   * REST API, health and metrics, and the channels' inbound webhooks.
   */
  public boolean handles(String path) {
    return path.startsWith("/api/") || path.startsWith("/channels/") || path.equals("/health")
        || path.equals("/ready") || path.equals("/metrics");
  }

  public CompletableFuture<ApiResponse> handle(ApiRequest request) {
    if (HealthEndpoints.serves(request.path())) {
      // Answered on the caller's thread: these read a flag or meters and never wait, so they must not
      // queue behind workers still stuck in queries to a database that stopped answering.
      return CompletableFuture.completedFuture(dispatch(request));
    }
    if (!health.live()) {
      // Known down: answered here, so no worker thread waits for the database and a full queue
      // of such waits cannot hold up /health, /ready or the next request.
      return CompletableFuture.completedFuture(ApiResponse.error(ErrorCode.UNAVAILABLE,
          "the database is unavailable; try again"));
    }
    try {
      return CompletableFuture.supplyAsync(() -> dispatch(request), blocking)
          .thenCompose(response -> response.body() instanceof ApiResponse.Later later
              ? later.answer().exceptionally(e -> failure(request, e))
              : CompletableFuture.completedFuture(response));
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(ApiResponse.error(TryAgainLater.busy()));
    }
  }

  private ApiResponse dispatch(ApiRequest request) {
    try {
      List<String> allowed = new ArrayList<>();
      for (Route route : routes) {
        Optional<Map<String, String>> params = route.match(request.path());
        if (params.isEmpty()) {
          continue;
        }
        if (!route.method().equals(request.method())) {
          allowed.add(route.method());
          continue;
        }
        Call call = caller(route, request, params.get());
        ApiResponse before = ManagementAudit.changes(call, route) && !route.method().equals("POST")
            ? readBefore(call) : null;
        ApiResponse response = route.handler().handle(call);
        if (ManagementAudit.concerns(call, route, response)) {
          managementAudit.record(call, route, before, response);
        }
        return response;
      }
      if (!allowed.isEmpty()) {
        return ApiResponse.error(ErrorCode.METHOD_NOT_ALLOWED, request.method() + " is not allowed here; use " + allowed);
      }
      return ApiResponse.error(ErrorCode.NOT_FOUND, "no such endpoint: " + request.path());
    } catch (RuntimeException e) {
      return failure(request, e);
    }
  }

  /** A failure as the client sees it, whether the handler threw it or its later answer failed with it. */
  private static ApiResponse failure(ApiRequest request, Throwable thrown) {
    Throwable e = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
    if (e instanceof TryAgainLater refusal) {
      return ApiResponse.error(refusal);
    }
    if (e instanceof RejectedExecutionException) {
      return ApiResponse.error(TryAgainLater.busy());
    }
    if (e instanceof SangdamException refusal) {
      if (refusal.getCause() != null) {
        log.warn("{} {} failed: {}", request.method(), request.path(), refusal.getCause().toString());
      }
      return ApiResponse.error(refusal);
    }
    log.error("{} {} failed", request.method(), request.path(), e);
    return ApiResponse.error(ErrorCode.INTERNAL, "internal error");
  }

  /**
   * What the resource looked like before a change: the answer its own {@code GET} gives this caller,
   * when there is such a route and it answers 200; else null. Only for PUT and DELETE: a POST creates
   * (its path is the collection) or acts, and has no before.
   */
  private ApiResponse readBefore(Call change) {
    for (Route route : routes) {
      Optional<Map<String, String>> params = route.match(change.request().path());
      if (params.isPresent() && route.method().equals("GET") && route.callers() == Route.Callers.USERS) {
        try {
          ApiResponse current = route.handler().handle(new Call(change.request(), change.principal(), null,
              params.get(), json));
          return current.status() == 200 ? current : null;
        } catch (SangdamException e) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * The call with its caller: on routes open to customers, a token that is no user's may be a visitor token.
   * A user's token is refused when it may only change its password and this route is not for that, or when
   * the user's policy limits their console to address ranges the request comes from outside of.
   */
  private Call caller(Route route, ApiRequest request, Map<String, String> params) {
    if (route.callers() == Route.Callers.ANYONE) {
      return new Call(request, null, null, params, json);
    }
    String token = bearer(request);
    try {
      Authenticator.TokenUse use = authenticator.use(token);
      if (use.passwordChangeOnly() && !PASSWORD_CHANGE_ROUTES.contains(route.method() + " " + route.pattern())) {
        throw new SangdamException(ErrorCode.PASSWORD_CHANGE_REQUIRED,
            "change the password first (POST /api/me/password); until then this sign-in may do nothing else");
      }
      policies.requireAddress(use.principal(), request.remoteAddress());
      return new Call(request, use.principal(), null, params, json);
    } catch (SangdamException e) {
      if (e.code() != ErrorCode.UNAUTHORIZED || route.callers() != Route.Callers.USERS_AND_CUSTOMERS) {
        throw e;
      }
      return new Call(request, null, visitors.byToken(token).orElseThrow(() -> e), params, json);
    }
  }

  private static String bearer(ApiRequest request) {
    String header = request.authorization();
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new SangdamException(ErrorCode.UNAUTHORIZED, "an Authorization: Bearer <token> header is required");
    }
    return header.substring(7).trim();
  }
}
