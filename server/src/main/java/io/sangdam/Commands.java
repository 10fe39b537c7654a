package io.sangdam;

import io.sangdam.accesslog.AccessChain;
import io.sangdam.accesslog.AccessLog;
import io.sangdam.audit.AuditEntry;
import io.sangdam.auth.AuthStore;
import io.sangdam.auth.PasswordHasher;
import io.sangdam.config.Config;
import io.sangdam.changes.LocalChanges;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Role;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.crypto.FieldKeyFile;
import io.sangdam.crypto.FieldKeys;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcAccessLog;
import io.sangdam.store.FieldSealing;
import io.sangdam.store.JdbcFieldKeys;
import io.sangdam.store.JdbcAuditLog;
import io.sangdam.store.JdbcAuthStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.store.JdbcLeaseStore;
import io.sangdam.store.JdbcPasswordStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
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

  /**
   * Creates another HQ administrator; refuses a name that is no slug, a short password or a name taken.
   * Audited as {@code console.create-admin}, by {@code operator} (who ran the command, as the system knows them).
   */
  static void createAdmin(Config config, String username, String password, String operator) {
    if (!Fields.SLUG.matcher(username).matches()) {
      throw new IllegalArgumentException("the username must be lower-case letters, digits and dashes, like hq-kim");
    }
    requireUsable(password);
    Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
    try {
      Database database = Server.openDatabase(config, stopOrder);
      // A command outside any node: running nodes find the new user at their next look-up or refresh.
      Directory directory = new Directory(new JdbcDirectoryStore(database, Clock.systemUTC(), new Json()),
          new LocalChanges());
      directory.createUser(new NewUser(null, null, username, "HQ Administrator", Role.HQ_ADMIN,
          hasher(config).hash(password), null, Set.of()));
      audit(database, operator, "console.create-admin", username);
      log.info("created HQ administrator '{}'", username);
    } finally {
      close(stopOrder);
    }
  }

  /**
   * Gives the HQ user {@code username} a new password and ends every session of theirs (running nodes
   * stop accepting their tokens within the 30 s they cache them). For the password nobody kept: it needs
   * only the database, so it works with the server stopped. Audited as {@code console.reset-password}.
   * A {@code generated} password must be changed at its first sign-in; one the operator typed is their own choice.
   */
  static void resetPassword(Config config, String username, String password, boolean generated, String operator) {
    requireUsable(password);
    Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
    try {
      Database database = Server.openDatabase(config, stopOrder);
      JdbcAuthStore credentials = new JdbcAuthStore(database);
      AuthStore.Credentials user = credentials.credentials(null, username)
          .orElseThrow(() -> new IllegalArgumentException("there is no HQ user '" + username
              + "' (users of a tenant get a new password from their administrator in the admin console)"));
      new JdbcDirectoryStore(database, Clock.systemUTC(), new Json()).updatePassword(user.userId(),
          hasher(config).hash(password));
      if (generated) {
        new JdbcPasswordStore(database).requireChange(user.userId());
      }
      credentials.revokeTokensOf(user.userId(), Instant.now());
      audit(database, operator, "console.reset-password", username);
      log.info("set a new password for HQ user '{}'; their sessions are signed out", username);
      if (!user.enabled()) {
        log.warn("HQ user '{}' is disabled: the new password works once another HQ administrator enables them",
            username);
      }
    } finally {
      close(stopOrder);
    }
  }

  /**
   * Walks the access records' chain with the key ({@code accessLog.keyFile}, never made here) and says whether it
   * holds; a broken chain is an error naming the first record that fails, and why. It only reads, so it runs beside
   * live nodes. The head printed is what to keep elsewhere and compare next time: removing the newest records and
   * moving the head back is found only against such a copy.
   */
  static void verifyAccessLog(Config config) {
    AccessChain chain = AccessChain.fromKeyFile(config.accessLog().keyFile(), false);
    Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
    try {
      Database database = Server.connect(config, PersonalFieldKeys.read(config.crypto().keyFile()), stopOrder);
      AccessLog.Verdict verdict = new JdbcAccessLog(database, chain, Clock.systemUTC()).verify();
      if (!verdict.holds()) {
        throw new IllegalStateException("the access records' chain is broken at record " + verdict.brokenAt().get()
            + ": " + verdict.problem() + " (" + verdict.records() + " records before it hold)");
      }
      System.out.println("the access records' chain holds: " + verdict.records() + " records checked; head: record "
          + verdict.lastId() + ", mac " + verdict.lastMac());
    } finally {
      close(stopOrder);
    }
  }

  /**
   * Adds a new random key, {@code id}, to the key file of personal fields and makes it the one that seals new
   * values; the keys already there stay, to open what they sealed. Every node needs the new file, and a restart,
   * before {@link #rotateKeys} seals the stored values with it.
   */
  static void addKey(Config config, String id) {
    Path file = config.crypto().keyFile();
    FieldKeys keys = FieldKeyFile.read(file).orElseThrow(() -> new IllegalArgumentException("there is no key file "
        + file.toAbsolutePath() + " (crypto.keyFile): the first start writes one"));
    if (!FieldKeys.KEY_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a key id is 1 to 8 lower-case letters and digits, like k2");
    }
    FieldKeyFile.write(file, keys.withNewActiveKey(id, new SecureRandom()));
    log.info("key {} added to {} and made active: give every node this file, restart them, then run {} rotate-keys",
        id, file.toAbsolutePath(), Main.launcher());
  }

  /**
   * Seals every personal field again with the active key, in small batches (running nodes go on serving, with an
   * external database), then retires the keys nothing is sealed with any more. Audited as {@code console.rotate-keys}
   * with the counts.
   */
  static void rotateKeys(Config config, String operator) {
    Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
    try {
      Database database = Server.openDatabase(config, stopOrder);
      JdbcFieldKeys keys = new JdbcFieldKeys(database, Clock.systemUTC());
      FieldSealing.Outcome done = new FieldSealing(database, 200).reseal(keys);
      audit(database, operator, "console.rotate-keys", "sealed " + done.sealed() + ", unreadable "
          + done.unreadable());
      if (done.unreadable() > 0) {
        log.warn("sealed {} personal field(s) again; {} could not be read (see the errors above) and keep their key, "
            + "so the keys {} stay in use", done.sealed(), done.unreadable(), keys.used());
      } else {
        log.info("sealed {} personal field(s) again with the active key; keys in use now: {}", done.sealed(),
            keys.used());
      }
    } finally {
      close(stopOrder);
    }
  }

  /**
   * 8 to 200 characters: an operator's password typed at the server, outside the password policy that the REST API
   * applies (the command reads no policy; README, Passwords and sessions, says so).
   */
  private static void requireUsable(String password) {
    if (password.length() < 8 || password.length() > 200) {
      throw new IllegalArgumentException("the password must be 8 to 200 characters");
    }
  }

  private static PasswordHasher hasher(Config config) {
    return new PasswordHasher(new SecureRandom(), config.auth().passwordIterations());
  }

  /** Who ran it is no user of Sangdam: the entry names the system's account, with no user id. */
  private static void audit(Database database, String operator, String action, String username) {
    String actor = operator + " (console)";
    new JdbcAuditLog(database, Clock.systemUTC()).record(new AuditEntry(null,
        actor.length() > 100 ? actor.substring(0, 100) : actor, null, null, action, username,
        Main.launcher() + " " + action.substring("console.".length()) + " on the server's machine", null));
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
    Database database = Server.connect(config, PersonalFieldKeys.read(config.crypto().keyFile()), stopOrder);
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
