package io.sangdam.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A connection one thread keeps from the pool between its transactions, autocommit off for as long as it keeps it:
 * a transaction is then its statements and a COMMIT. {@link Sql#transaction} borrows a connection each time and
 * turns autocommit off before and on again after, two more round trips to the database, which for the message
 * writer's small batches were as many as the batch's own. Given back by {@link #release} (when the thread has
 * nothing to do) and after any failure, so a broken connection is the pool's to drop and the next transaction takes
 * another. One thread only.
 */
final class KeptConnection implements AutoCloseable {
  private final DataSource dataSource;
  private final int networkTimeoutMillis;
  private final ConflictRetry conflicts;
  private Connection kept;

  /** {@code networkTimeoutMillis}: how long each read may wait for the database, as {@link Sql}'s. */
  KeptConnection(Database db, int networkTimeoutMillis) {
    this.dataSource = db.dataSource();
    this.networkTimeoutMillis = networkTimeoutMillis;
    this.conflicts = db.conflicts();
  }

  /**
   * Runs {@code work} in one transaction on the kept connection (taken now if none is), rolled back if it throws, and
   * run again whole after a conflict, as {@link Sql#transaction} does: {@code work} must change nothing but the
   * database.
   */
  <T> T transaction(Sql.Work<T> work) {
    try {
      return conflicts.run(() -> {
        Connection c = connection();
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          giveBack(e);
          throw e;
        }
      });
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  /** Gives the connection back to the pool, if kept: the thread goes idle. */
  void release() {
    if (kept != null) {
      try {
        kept.close();
      } catch (SQLException e) {
        // The pool drops a connection it cannot take back; the next transaction takes another.
      } finally {
        kept = null;
      }
    }
  }

  @Override
  public void close() {
    release();
  }

  private Connection connection() throws SQLException {
    if (kept == null) {
      Connection c = dataSource.getConnection();
      try {
        if (networkTimeoutMillis > 0) {
          c.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
        }
        c.setAutoCommit(false);
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      kept = c;
    }
    return kept;
  }

  /** After a failure: rolled back if it still answers, and given back (the pool drops it if it is broken). */
  private void giveBack(Exception failure) {
    try {
      kept.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
    release();
  }
}
