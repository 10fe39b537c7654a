package io.sangdam.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
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
