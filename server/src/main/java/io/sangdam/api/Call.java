package io.sangdam.api;

import io.sangdam.auth.AuthStore;
import io.sangdam.auth.Principal;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One matched request: the caller (a user, or on routes open to customers a customer; null
 * otherwise), the path parameters and the body.
 */
record Call(ApiRequest request, Principal principal, AuthStore.Visitor customer, Map<String, String> params,
    Json json) {
  String param(String name) {
    return params.get(name);
  }

  /** The first value of a query parameter, if given. */
  Optional<String> query(String name) {
    List<String> values = request.query().get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The body as a JSON object; a missing or malformed body is {@code bad_json}. */
  Fields body() {
    return new Fields(json.readObject(new ByteArrayInputStream(request.body())));
  }
}
