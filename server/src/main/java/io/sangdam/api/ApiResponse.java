package io.sangdam.api;

import io.sangdam.protocol.ErrorCode;
import java.util.Map;

/**
 * A status and a body: serialized as JSON, or sent as it is when it is a {@link FileBody}; a null
 * body means no content.
 */
public record ApiResponse(int status, Object body) {
  /**
   * A file's bytes with its type and name. {@code inline}: a browser may show it in the page (only
   * images); otherwise it is offered for saving.
   */
  public record FileBody(byte[] content, String contentType, String fileName, boolean inline) {}

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
}
