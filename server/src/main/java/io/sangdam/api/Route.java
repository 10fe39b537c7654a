package io.sangdam.api;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A method and a path pattern such as {@code /api/tenants/{tenant}/centers}, with who may call it
 * and its handler.
 */
record Route(String method, String pattern, Callers callers, Handler handler) {
  /** Who may call a route: anyone, signed-in users, or also customers by their visitor token. */
  enum Callers { ANYONE, USERS, USERS_AND_CUSTOMERS }

  /** {@code authenticated}: signed-in users only; else anyone. */
  Route(String method, String pattern, boolean authenticated, Handler handler) {
    this(method, pattern, authenticated ? Callers.USERS : Callers.ANYONE, handler);
  }

  @FunctionalInterface
  interface Handler {
    ApiResponse handle(Call call);
  }

  /** The path parameters when {@code path} matches the pattern. */
  Optional<Map<String, String>> match(String path) {
    String[] want = pattern.split("/");
    String[] got = path.split("/");
    if (want.length != got.length) {
      return Optional.empty();
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < want.length; i++) {
      if (want[i].startsWith("{")) {
        if (got[i].isEmpty()) {
          return Optional.empty();
        }
        params.put(want[i].substring(1, want[i].length() - 1), got[i]);
      } else if (!want[i].equals(got[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }
}
