package io.sangdam.store;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.sql.SQLException;

/**
 * A database failure the caller cannot fix. Clients see {@code unavailable} (503) and a generic
 * message; the SQL error stays in the cause, for the log.
 */
public final class StoreException extends SangdamException {
  StoreException(SQLException cause) {
    super(ErrorCode.UNAVAILABLE, "the database is unavailable; try again", cause);
  }
}
