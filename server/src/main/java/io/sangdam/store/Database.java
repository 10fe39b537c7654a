package io.sangdam.store;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sangdam.crypto.FieldCipher;
import io.sangdam.crypto.FieldKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection pool and the schema. Migrations come from {@code sql/}, packaged under {@code db/migration}. */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** The socket timeout of pool connections when none is configured ({@code db.queryTimeoutSeconds}). */
  public static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

  private final HikariDataSource pool;
  private final DatabaseProbe probe;
  private final FailFastDataSource dataSource;
  private final HotThreadGuard guard;
  private final ConflictRetry conflicts = new ConflictRetry();
  private final String url;
  private final String user;
  private final String password;
  private final FieldCipher fields;

  /**
   * With a key ring of its own, made now, for personal fields: for a test on a database of its own. What it seals
   * no other {@code Database} opens; a test on a server's database takes the server's keys (the next constructor).
   */
  public Database(String url, String user, String password, int poolSize) {
    this(url, user, password, poolSize, new FieldCipher(FieldKeys.generate(new SecureRandom()), new SecureRandom()));
  }

  public Database(String url, String user, String password, int poolSize, FieldCipher fields) {
    this(url, user, password, poolSize, QUERY_TIMEOUT, fields);
  }

  /**
   * {@code queryTimeout}: how long a connection of the pool waits for the database to answer, so
   * that work caught by an outage ends, as {@code unavailable}, instead of holding its thread for
   * good; it also bounds reports and searches. An outage is found sooner by the {@link DatabaseProbe},
   * and from then on connections are refused at once.
   */
  public Database(String url, String user, String password, int poolSize, Duration queryTimeout,
      FieldCipher fields) {
    this(url, user, password, poolSize, queryTimeout, HotThreadGuard.fromSystemProperty(), fields);
  }

  /** Longer than any of Sangdam's transactions waits between its statements; far shorter than MariaDB's 8 hours. */
  static final Duration IDLE_TRANSACTION_TIMEOUT = Duration.ofSeconds(15);

  /**
   * {@code guard}: what to do with a connection asked for on a hot thread (in test runs, refuse it). {@code fields}:
   * what the repositories seal personal fields with, and open them with.
   */
  public Database(String url, String user, String password, int poolSize, Duration queryTimeout,
      HotThreadGuard guard, FieldCipher fields) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("sangdam-db");
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setConnectionTimeout(5_000);
    // Before the probe has noticed an outage: a borrowed connection idle for a while is checked
    // within 2 s, and a new one gives up connecting after 5 s (the driver's own default is 30 s).
    config.setValidationTimeout(2_000);
    config.addDataSourceProperty("connectTimeout", "5000");
    config.addDataSourceProperty("socketTimeout", Long.toString(queryTimeout.toMillis()));
    // Sangdam stores every time as UTC; the session must agree whatever the server's zone is. A transaction
    // left idle (its process frozen, or cut off mid-transaction) is rolled back after a while, so the locks
    // it holds (a center's fence, with many nodes) do not stop another node's takeover for hours.
    config.setConnectionInitSql("SET time_zone = '+00:00', idle_transaction_timeout = "
        + IDLE_TRANSACTION_TIMEOUT.toSeconds());
    this.pool = new HikariDataSource(config);
    this.guard = requireNonNull(guard, "guard");
    this.fields = requireNonNull(fields, "fields");
    this.dataSource = new FailFastDataSource(pool, this::isReachable, guard);
    this.probe = new DatabaseProbe(url, user, password);
    this.url = url;
    this.user = user;
    this.password = password;
    probe.start();
  }

  /**
   * Runs a {@code mariadb-dump} file's statements, in order, on one connection; returns how many.
   * The dump writes one statement per line, or a CREATE over several lines ending in ';', and
   * escapes newlines inside values, so a line ending in ';' ends a statement.
   */
  public long runDump(BufferedReader dump) throws IOException {
    long statements = 0;
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      StringBuilder statement = new StringBuilder();
      for (String line = dump.readLine(); line != null; line = dump.readLine()) {
        // "/*M!999999\- enable the sandbox mode */" is a command for the mariadb client, not SQL.
        if (statement.length() == 0 && (line.isBlank() || line.startsWith("--") || line.startsWith("/*M!999999"))) {
          continue;
        }
        statement.append(line).append('\n');
        if (line.endsWith(";")) {
          s.execute(statement.toString());
          statement.setLength(0);
          statements++;
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the dump could not be loaded, after " + statements + " statements: "
          + e.getMessage(), e);
    }
    return statements;
  }

  /**
   * The pool's meters (connections active, idle, pending; acquire and usage times) as hikaricp_*,
   * whether the database answers, and the transactions repeated after a conflict.
   */
  public void instrument(MeterRegistry meters) {
    pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
    Gauge.builder("sangdam.database.up", probe, p -> p.up() ? 1 : 0)
        .description("1 while the database answers the health probe, 0 while it does not").register(meters);
    FunctionCounter.builder("sangdam.db.retries", conflicts, ConflictRetry::retries)
        .description("transactions run again after the database rolled them back on a conflict: a deadlock, "
            + "or a Galera certification failure (error 1213)").register(meters);
  }

  /**
   * Applies pending migrations, forward only. A database migrated by a newer Sangdam (a version
   * this code does not have) is refused rather than silently used.
   */
  public void migrate() {
    // A connection of its own, without the pool's socket timeout: a migration of a big table may
    // take longer than any query should.
    Flyway flyway = Flyway.configure()
        .dataSource(url, user, password)
        .initSql("SET time_zone = '+00:00'")
        .locations("classpath:db/migration")
        .ignoreMigrationPatterns(new String[0])
        .validateMigrationNaming(true)
        .cleanDisabled(true)
        .outOfOrder(false)
        .load();
    MigrateResult result = flyway.migrate();
    log.info("database schema at version {} ({} migrations applied now)",
        flyway.info().current() == null ? "none" : flyway.info().current().getVersion(), result.migrationsExecuted);
  }

  /** The pool, refusing at once while the database is known to be down. */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * {@code executor} for work that needs the database, refusing it as it is handed over while the
   * database is known to be down: queued, it would wait behind workers still stuck in queries to a
   * server that stopped answering (up to their socket timeout), only to fail all the same.
   */
  public Executor whileReachable(Executor executor) {
    return work -> {
      if (!probe.up()) {
        throw new RejectedExecutionException("the database does not answer");
      }
      executor.execute(work);
    };
  }

  /** What the repositories seal personal fields with. */
  FieldCipher fields() {
    return fields;
  }

  /** What every repository's transactions share: the repeat after a conflict, and its count. */
  ConflictRetry conflicts() {
    return conflicts;
  }

  /** Connections asked for on hot threads (recorded in test runs only): each with the stack that asked. */
  public List<String> hotThreadJdbc() {
    return guard.violations();
  }

  /** Whether the database answered its last probe: the substance of {@code /health}; never waits. */
  public boolean isReachable() {
    return probe.up();
  }

  @Override
  public void close() {
    probe.close();
    pool.close();
  }
}
