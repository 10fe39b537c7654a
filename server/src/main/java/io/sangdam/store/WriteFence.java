package io.sangdam.store;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;

/**
 * Guards each insert of chat messages: the insert selects its rows joined to the database's lease
 * row while that row holds this node's token, read under a shared lock held to the commit. A node
 * taking the lease over updates that row, so it waits for an insert in flight to commit, and every
 * insert after it writes no row: nothing of this node lands once another node took over. Folded
 * into the insert rather than read before it, it costs the writer no round trip of its own.
 *
 * @param join SQL joined to the rows the insert selects; empty for no fence
 * @param token the join's one parameter, null without one
 * @param lost run when an insert wrote none of its rows because of the fence
 */
public record WriteFence(String join, String token, Runnable lost) {
  /** For a writer alone on its database (tests, one-shot commands). */
  public static final WriteFence NONE = new WriteFence("", null, () -> { });

  /** An insert wrote none of its rows: another node holds the lease. Runs {@link #lost} and returns what to throw. */
  Fenced fenced() {
    lost.run();
    return new Fenced();
  }

  /** Another node took the database's lease over: this node writes no more. Clients see {@code unavailable}. */
  public static final class Fenced extends SangdamException {
    public Fenced() {
      super(ErrorCode.UNAVAILABLE, "this server no longer serves the database; reconnect and send it again");
    }
  }
}
