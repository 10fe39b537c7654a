package io.sangdam.store;

import java.sql.SQLException;

/** A database failure the caller cannot fix; reported to clients as {@code unavailable}. */
public final class StoreException extends RuntimeException {
  StoreException(SQLException cause) {
    super(cause.getMessage(), cause);
  }
}
