package io.sangdam.protocol;

import static java.util.Objects.requireNonNull;

/** A failure a client is told about: a code from {@link ErrorCode} and a human-readable message. */
public class SangdamException extends RuntimeException {
  private final ErrorCode code;

  public SangdamException(ErrorCode code, String message) {
    super(requireNonNull(message, "message"), null, false, false);
    this.code = requireNonNull(code, "code");
  }

  /** For failures whose cause should reach the log, never the client. */
  protected SangdamException(ErrorCode code, String message, Throwable cause) {
    super(requireNonNull(message, "message"), cause, false, true);
    this.code = requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }

  public static SangdamException notFound(String what) {
    return new SangdamException(ErrorCode.NOT_FOUND, what + " not found");
  }
}
