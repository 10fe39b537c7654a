package io.sangdam.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as the API sees it. {@code authorization}, {@code contentType} and {@code signature}
 * (the {@code X-Sangdam-Signature} of a channel's inbound request) are the raw headers, or null;
 * {@code headers} holds every header by its lower-case name (a partner's webhook authenticates with
 * headers of its own). {@code cookies} holds the request's cookies by name, decoded by the transport.
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, String authorization,
    String contentType, byte[] body, String remoteAddress, String signature, Map<String, String> headers,
    Map<String, String> cookies) {

  public ApiRequest {
    headers = Map.copyOf(headers);
    cookies = Map.copyOf(cookies);
  }

  /** The cookie's value, if the request brought it. */
  public Optional<String> cookie(String name) {
    return Optional.ofNullable(cookies.get(name));
  }

  /** The header's (first) value, or null when absent. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
