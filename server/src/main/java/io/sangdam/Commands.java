package io.sangdam;

import io.sangdam.auth.PasswordHasher;
import io.sangdam.config.Config;
import io.sangdam.changes.LocalChanges;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Role;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.store.JdbcLeaseStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one-shot commands of {@code bin/sangdam}: they open the database, do one thing, and stop it again. */
final class Commands {
  private static final Logger log = LoggerFactory.getLogger(Commands.class);

  private Commands() {}

  /** Applies the migrations the database lacks (starting the embedded one if configured) and returns. */
  static void migrate(Config config) {
    Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
    try {
      openUnused(config, stopOrder);
      log.info("the database is at the latest schema");
    } finally {
      close(stopOrder);
    }
  }

  /** Creates another HQ administrator; refuses a name that is no slug, a short password or a name taken. */
  static void createAdmin(Config config, String username, String password) {
    if (!Fields.SLUG.matcher(username).matches()) {
      throw new IllegalArgumentException("the username must be lower-case letters, digits and dashes, like hq-kim");
    }
    if (password.length() < 8 || password.length() > 200) {
      throw new IllegalArgumentException("the password must be 8 to 200 characters");
    }
    Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
    try {
      Database database = Server.openDatabase(config, stopOrder);
      // A command outside any node: running nodes find the new user at their next look-up or refresh.
      Directory directory = new Directory(new JdbcDirectoryStore(database, Clock.systemUTC(), new Json()),
          new LocalChanges());
      directory.createUser(new NewUser(null, null, username, "HQ Administrator", Role.HQ_ADMIN,
          new PasswordHasher(new SecureRandom(), config.auth().passwordIterations()).hash(password), null, Set.of()));
      log.info("created HQ administrator '{}'", username);
    } finally {
      close(stopOrder);
    }
  }

  /**
   * Loads a dump written by {@code bin/backup} ({@code mariadb-dump} output, gzipped or not) into
   * the configured database over JDBC, statement by statement, so no MariaDB client is needed. The
   * dump drops and recreates each of its tables. The database is migrated first, so an empty one works.
   */
  static void restoreDatabase(Config config, Path dump) throws IOException {
    if (!Files.isReadable(dump)) {
      throw new IllegalArgumentException("cannot read " + dump);
    }
    Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
    try (InputStream raw = Files.newInputStream(dump);
        BufferedReader in = new BufferedReader(new InputStreamReader(
            dump.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8))) {
      Database database = openUnused(config, stopOrder);
      long statements = database.runDump(in);
      // The dump holds the lease of the server it was taken from; nothing serves this database now.
      new JdbcLeaseStore(database).forgetHolder();
      log.info("restored {} statements from {}", statements, dump);
    } finally {
      close(stopOrder);
    }
  }

  /**
   * The database, migrated, for a command that changes what a running server reads (a new schema, a
   * restored dump): refused, naming the node, while a live node holds the database's lease.
   */
  private static Database openUnused(Config config, Deque<AutoCloseable> stopOrder) {
    Database database = Server.connect(config, stopOrder);
    new JdbcLeaseStore(database).liveHolder().ifPresent(holder -> {
      throw new IllegalStateException("this database is in use by node " + holder.node().describe() + " since "
          + holder.since() + ": stop it first (if it is gone, its lease expires in "
          + Math.max(0, holder.expiresIn().toSeconds()) + " s)");
    });
    database.migrate();
    return database;
  }

  private static void close(Deque<AutoCloseable> stopOrder) {
    while (!stopOrder.isEmpty()) {
      try {
        stopOrder.pop().close();
      } catch (Exception e) {
        log.warn("error while stopping: {}", e.getMessage());
      }
    }
  }
}
