package io.sangdam.store;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Guards each insert of chat messages: its first row's conversation is read through the database's
 * lease row, by its primary key, while that row holds this node's token, under a shared lock held to
 * the commit. A node taking the lease over updates that row, so it waits for an insert in flight to
 * commit, and every insert after it finds no conversation for its first row and is refused whole.
 * Inside the insert rather than read before it, the fence costs the writer no round trip of its own.
 */
public interface WriteFence {
  /** For a writer alone on its database (tests, one-shot commands). */
  WriteFence NONE = new WriteFence() {
    @Override
    public String conversation() {
      return "?";
    }

    @Override
    public String token() {
      return null;
    }

    @Override
    public boolean holds(Connection c) {
      return true;
    }

    @Override
    public void lost() {
    }
  };

  /**
   * SQL for the first row's conversation id, which the insert binds first (then {@link #token}, if any): the id
   * while this node holds the lease, else NULL, which the conversation column refuses (not null, a foreign key).
   */
  String conversation();

  /** The parameter bound after the first conversation id; null when {@link #conversation} takes none. */
  String token();

  /** Whether this node still holds the lease: read on its own, to tell a fenced insert from another failure. */
  boolean holds(Connection c) throws SQLException;

  /** Another node holds the lease now: the node stops taking messages at once. */
  void lost();

  /** Another node took the database's lease over: this node writes no more. Clients see {@code unavailable}. */
  final class Fenced extends SangdamException {
    public Fenced() {
      super(ErrorCode.UNAVAILABLE, "this server no longer serves the database; reconnect and send it again");
    }
  }
}
