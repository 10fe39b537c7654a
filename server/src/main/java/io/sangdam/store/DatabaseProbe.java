package io.sangdam.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the database, once a second from a thread of its own, whether it answers: {@code SELECT 1}
 * on a connection of its own (not the pool's, which may be busy or wedged), with connect and socket
 * timeouts of {@link #TIMEOUT}, so a frozen server is a failed probe, not a probe that hangs. One
 * failure is enough to call the database down (a server that cannot answer {@code SELECT 1} within
 * two seconds is not serving chat either); one success calls it up again. {@code /health},
 * {@code /ready} and the fail-fast refusals read the verdict; nobody waits for the database to learn it.
 */
final class DatabaseProbe implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DatabaseProbe.class);
  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final String url;
  private final Properties properties = new Properties();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "database-probe");
    t.setDaemon(true);
    return t;
  });
  private Connection connection;
  private volatile boolean up = true;
  private long downSince;

  DatabaseProbe(String url, String user, String password) {
    this.url = url;
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    properties.setProperty("connectTimeout", Long.toString(TIMEOUT.toMillis()));
    properties.setProperty("socketTimeout", Long.toString(TIMEOUT.toMillis()));
  }

  void start() {
    thread.scheduleWithFixedDelay(this::probe, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The last verdict: true until a probe has failed (a database that let the server start answered then). */
  boolean up() {
    return up;
  }

  private void probe() {
    boolean answers = answers();
    if (!answers && up) {
      up = false;
      downSince = System.nanoTime();
      log.error("the database does not answer within {} ms: /health and /ready say so, and database work is "
          + "refused with 'unavailable' until it does", TIMEOUT.toMillis());
    } else if (answers && !up) {
      up = true;
      log.warn("the database answers again, after {} s down", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - downSince));
    }
  }

  private boolean answers() {
    try {
      if (connection == null) {
        connection = DriverManager.getConnection(url, properties);
      }
      try (Statement s = connection.createStatement()) {
        s.execute("SELECT 1");
      }
      return true;
    } catch (SQLException e) {
      log.debug("database probe failed: {}", e.toString());
      disconnect();
      return false;
    }
  }

  private void disconnect() {
    if (connection != null) {
      try {
        connection.abort(Runnable::run);
      } catch (SQLException e) {
        log.debug("closing the probe's connection: {}", e.toString());
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    disconnect();
  }
}
