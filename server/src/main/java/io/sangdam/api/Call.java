package io.sangdam.api;

import io.sangdam.auth.Principal;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import java.io.ByteArrayInputStream;
import java.util.Map;

/** One matched request: the caller (null on public routes), the path parameters and the body. */
record Call(ApiRequest request, Principal principal, Map<String, String> params, Json json) {
  String param(String name) {
    return params.get(name);
  }

  /** The body as a JSON object; a missing or malformed body is {@code bad_json}. */
  Fields body() {
    return new Fields(json.readObject(new ByteArrayInputStream(request.body())));
  }
}
