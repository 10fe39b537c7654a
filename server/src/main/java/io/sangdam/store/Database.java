package io.sangdam.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection pool and the schema. Migrations come from {@code sql/}, packaged under {@code db/migration}. */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource dataSource;

  public Database(String url, String user, String password, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("sangdam-db");
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setConnectionTimeout(5_000);
    // Sangdam stores every time as UTC; the session must agree whatever the server's zone is.
    config.setConnectionInitSql("SET time_zone = '+00:00'");
    this.dataSource = new HikariDataSource(config);
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

  /** The pool's meters (connections active, idle, pending; acquire and usage times) as hikaricp_*. */
  public void instrument(MeterRegistry meters) {
    dataSource.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
  }

  /**
   * Applies pending migrations, forward only. A database migrated by a newer Sangdam (a version
   * this code does not have) is refused rather than silently used.
   */
  public void migrate() {
    Flyway flyway = Flyway.configure()
        .dataSource(dataSource)
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

  public DataSource dataSource() {
    return dataSource;
  }

  /** Whether a connection can be had and answers: the substance of {@code /health}. */
  public boolean isReachable() {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
