package io.sangdam.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The pool as every repository sees it, closed while the database is known to be down: a
 * connection asked for then is refused at once (callers answer {@code unavailable}) instead of
 * waiting for the pool's timeouts on a server that does not answer.
 *
 * <p>Connections already handed out are left to their socket timeout: cutting them short is not
 * possible on a hung server ({@code Connection.abort} in MariaDB Connector/J first opens another
 * connection to send {@code KILL}, which hangs as well).
 */
final class FailFastDataSource implements DataSource {
  private final DataSource pool;
  private final BooleanSupplier databaseUp;
  private final HotThreadGuard guard;

  FailFastDataSource(DataSource pool, BooleanSupplier databaseUp, HotThreadGuard guard) {
    this.pool = pool;
    this.databaseUp = databaseUp;
    this.guard = guard;
  }

  @Override
  public Connection getConnection() throws SQLException {
    guard.check();
    if (!databaseUp.getAsBoolean()) {
      // SQLState class 08: a connection exception, as the driver would say if it had tried.
      throw new SQLTransientConnectionException("the database does not answer", "08001");
    }
    return pool.getConnection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the pool has one user");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || pool.isWrapperFor(iface);
  }
}
