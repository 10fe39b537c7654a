package io.sangdam.protocol;

import java.util.Locale;

/** Every error a client can see, with the HTTP status it maps to. The wire name is the snake_case name. */
public enum ErrorCode {
  BAD_JSON(400),
  BAD_REQUEST(400),
  HELLO_REQUIRED(400),
  UNKNOWN_TYPE(400),
  MISSING_FIELD(422),
  CATEGORY_REQUIRED(422),
  INVALID_FIELD(422),
  TOO_LONG(422),
  PASSWORD_TOO_SHORT(422),
  PASSWORD_TOO_SIMPLE(422),
  PASSWORD_HAS_USERNAME(422),
  PASSWORD_REUSED(422),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  PASSWORD_CHANGE_REQUIRED(403),
  ADDRESS_NOT_ALLOWED(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  CONFLICT(409),
  ALREADY_TAKEN(409),
  AT_CAPACITY(409),
  AGENT_UNAVAILABLE(409),
  CONVERSATION_CLOSED(409),
  ALREADY_RATED(409),
  CENTER_CLOSED(409),
  TOO_LARGE(413),
  UNSUPPORTED_TYPE(415),
  RATE_LIMITED(429),
  TOO_MANY_ATTEMPTS(429),
  INTERNAL(500),
  UNAVAILABLE(503);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
