package io.sangdam.protocol;

import static java.util.Objects.requireNonNull;

/**
 * A failure a client is told about: a code from {@link ErrorCode}, a human-readable message (English, for
 * operators), and for a field in error its name, by which apps choose the sentence a person reads.
 */
public class SangdamException extends RuntimeException {
  private final ErrorCode code;
  private final String field;

  public SangdamException(ErrorCode code, String message) {
    this(code, message, (String) null);
  }

  /** A failure of the request's {@code field} (null: of no one field). */
  public SangdamException(ErrorCode code, String message, String field) {
    super(requireNonNull(message, "message"), null, false, false);
    this.code = requireNonNull(code, "code");
    this.field = field;
  }

  /** For failures whose cause should reach the log, never the client. */
  protected SangdamException(ErrorCode code, String message, Throwable cause) {
    super(requireNonNull(message, "message"), cause, false, true);
    this.code = requireNonNull(code, "code");
    this.field = null;
  }

  public ErrorCode code() {
    return code;
  }

  /** The request's field in error, or null. */
  public String field() {
    return field;
  }

  public static SangdamException notFound(String what) {
    return new SangdamException(ErrorCode.NOT_FOUND, what + " not found");
  }
}
