package io.sangdam.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A connection one thread keeps from the pool between its transactions, so a transaction is its statements and a
 * COMMIT: {@link Sql#transaction} borrows a connection each time and turns autocommit off before and on again after,
 * two more round trips to the database, which for the message writer's small batches were as many as the batch's
 * own. Work of one statement runs {@link #autocommitted}: the statement is its own transaction, without a COMMIT to
 * wait for. Autocommit is switched (a round trip) only when the work asks for the other mode than the last. Given
 * back by {@link #release} (when the thread has nothing to do) and after any failure, so a broken connection is the
 * pool's to drop and the next transaction takes another. One thread only.
 */
final class KeptConnection implements AutoCloseable {
  private final DataSource dataSource;
  private final int networkTimeoutMillis;
  private final ConflictRetry conflicts;
  private Connection kept;
  /** The kept connection's autocommit, as last set here. */
  private boolean autocommit;

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
    return run(work, false);
  }

  /**
   * Runs {@code work} with each of its statements committed on its own, run again whole after a conflict: for work
   * whose one write is a single statement (atomic by itself), which then needs no COMMIT of its own.
   */
  <T> T autocommitted(Sql.Work<T> work) {
    return run(work, true);
  }

  private <T> T run(Sql.Work<T> work, boolean autocommitted) {
    try {
      return conflicts.run(() -> {
        Connection c = connection(autocommitted);
        try {
          T result = work.run(c);
          if (!autocommitted) {
            c.commit();
          }
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

  private Connection connection(boolean autocommitted) throws SQLException {
    if (kept == null) {
      Connection c = dataSource.getConnection();
      try {
        if (networkTimeoutMillis > 0) {
          c.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
        }
        c.setAutoCommit(autocommitted);
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      kept = c;
    } else if (autocommit != autocommitted) {
      try {
        kept.setAutoCommit(autocommitted);
      } catch (SQLException | RuntimeException e) {
        release(); // broken, most likely: the pool drops it, the next work takes another
        throw e;
      }
    }
    autocommit = autocommitted;
    return kept;
  }

  /** After a failure: rolled back if in a transaction and it still answers, and given back (the pool drops it if broken). */
  private void giveBack(Exception failure) {
    if (!autocommit) {
      try {
        kept.rollback();
      } catch (SQLException e) {
        failure.addSuppressed(e);
      }
    }
    release();
  }
}
