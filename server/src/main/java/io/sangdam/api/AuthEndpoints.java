package io.sangdam.api;

import io.sangdam.auth.Authenticator;
import io.sangdam.auth.Principal;
import io.sangdam.protocol.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST /api/login} and {@code POST /api/logout}. */
final class AuthEndpoints {
  private final Authenticator authenticator;

  AuthEndpoints(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  List<Route> routes() {
    return List.of(
        new Route("POST", "/api/login", false, this::login),
        new Route("POST", "/api/logout", true, this::logout));
  }

  private ApiResponse login(Call call) {
    Fields body = call.body();
    Authenticator.Login login = authenticator.login(body.optSlug("tenant"), body.string("username", 64),
        body.string("password", 200));
    return ApiResponse.ok(Map.of("token", login.token(), "user", user(login.principal())));
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
