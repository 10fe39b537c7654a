package io.sangdam.api;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.TryAgainLater;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A status and a body: serialized as JSON, or sent as it is when it is a {@link FileBody}; a null
 * body means no content. {@code headers} are added to the HTTP answer ({@code Retry-After}), and
 * {@code cookies} are set (or cleared) in the browser.
 */
public record ApiResponse(int status, Object body, Map<String, String> headers, List<Cookie> cookies) {
  public ApiResponse {
    headers = Map.copyOf(headers);
    cookies = List.copyOf(cookies);
  }

  public ApiResponse(int status, Object body, Map<String, String> headers) {
    this(status, body, headers, List.of());
  }

  public ApiResponse(int status, Object body) {
    this(status, body, Map.of());
  }

  /**
   * A cookie for the browser to keep for {@code maxAge} (zero: to forget it now) and send back only to
   * addresses under {@code path}. The transport always sets it HttpOnly (no page script reads it) and
   * SameSite=Lax, and Secure when the request came over TLS.
   */
  public record Cookie(String name, String value, String path, Duration maxAge) {
    public Cookie {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      requireNonNull(path, "path");
      requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException("maxAge cannot be negative");
      }
    }

    /** Tells the browser to forget the cookie {@code name} of {@code path}. */
    public static Cookie cleared(String name, String path) {
      return new Cookie(name, "", path, Duration.ZERO);
    }
  }

  /**
   * A file's bytes with its type and name. {@code inline}: a browser may show it in the page (only
   * images); otherwise it is offered for saving.
   */
  public record FileBody(byte[] content, String contentType, String fileName, boolean inline) {}

  /**
   * An answer still being worked out elsewhere (a login waiting for its password hash on the
   * hashing pool), so that no blocking thread waits for it; {@link Api} sends it when it completes.
   */
  public record Later(CompletableFuture<ApiResponse> answer) {}

  public static ApiResponse later(CompletableFuture<ApiResponse> answer) {
    return new ApiResponse(202, new Later(answer));
  }

  public static ApiResponse ok(Object body) {
    return new ApiResponse(200, body);
  }

  public static ApiResponse created(Object body) {
    return new ApiResponse(201, body);
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, null);
  }

  /** PROTOCOL.md's error shape: {@code {"error":{"code","message"}}}. */
  public static ApiResponse error(ErrorCode code, String message) {
    return new ApiResponse(code.httpStatus(), Map.of("error", Map.of("code", code.wire(), "message", message)));
  }

  /** The error shape, with {@code "field"} naming the request's field in error when there is one. */
  public static ApiResponse error(SangdamException refusal) {
    if (refusal.field() == null) {
      return error(refusal.code(), refusal.getMessage());
    }
    return new ApiResponse(refusal.code().httpStatus(), Map.of("error", Map.of("code", refusal.code().wire(),
        "message", refusal.getMessage(), "field", refusal.field())));
  }

  /** The error of a refusal that passes, with {@code Retry-After} in whole seconds, rounded up (at least 1). */
  public static ApiResponse error(TryAgainLater refusal) {
    long seconds = Math.max(1, (refusal.retryAfter().toMillis() + 999) / 1000);
    return error(refusal.code(), refusal.getMessage()).withHeader("Retry-After", Long.toString(seconds));
  }

  /** This answer with one more header. */
  public ApiResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new ApiResponse(status, body, more, cookies);
  }

  /** This answer, also setting or clearing a cookie. */
  public ApiResponse withCookie(Cookie cookie) {
    List<Cookie> more = new ArrayList<>(cookies);
    more.add(cookie);
    return new ApiResponse(status, body, headers, more);
  }
}
