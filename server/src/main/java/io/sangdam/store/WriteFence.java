package io.sangdam.store;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Checked inside each transaction of chat messages, before it commits: throws {@link Fenced} once
 * this node no longer holds the database's lease, so what it was about to write rolls back.
 */
@FunctionalInterface
public interface WriteFence {
  /** For a writer alone on its database (tests, one-shot commands). */
  WriteFence NONE = c -> { };

  void check(Connection c) throws SQLException;

  /** Another node took the database's lease over: this node writes no more. Clients see {@code unavailable}. */
  final class Fenced extends SangdamException {
    public Fenced() {
      super(ErrorCode.UNAVAILABLE, "this server no longer serves the database; reconnect and send it again");
    }
  }
}
