package io.sangdam.testing;

import static io.sangdam.testing.Eventually.eventually;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Three real MariaDB servers (Debian's {@code mariadbd}) joined in one Galera cluster on loopback
 * ports, their files under {@code dir} until {@link #close()}: the first starts the cluster, the other two join it and copy
 * its data by rsync (the state transfer). Installed by {@code scripts/install-galera}. Every node
 * accepts writes; a transaction that conflicts with one committed first on another node fails its
 * certification with error 1213, as on a production cluster.
 *
 * <p>Run by root (as the tests are here), the servers run as {@code nobody}: the rsync daemon of the
 * state transfer, started by root, would switch to {@code nobody} and could not write the data.
 */
public final class GaleraCluster implements AutoCloseable {
  private static final String SST_SCRIPTS = "/usr/local/lib/sangdam-galera";
  private static final String PROVIDER = "/usr/lib/galera/libgalera_smm.so";
  private static final Duration JOIN = Duration.ofSeconds(90);

  private final Path dir;
  private final List<Node> nodes = new ArrayList<>();

  private record Node(int port, Process process) {}

  private GaleraCluster(Path dir) {
    this.dir = dir;
  }

  /** Starts the three servers, the first alone, then the others joining it; returns once all three are synced. */
  public static GaleraCluster start(Path dir) {
    for (String needed : List.of("/usr/sbin/mariadbd", "/usr/bin/mariadb-install-db", "/usr/bin/my_print_defaults",
        "/usr/bin/rsync", PROVIDER, SST_SCRIPTS + "/wsrep_sst_rsync")) {
      if (!Files.exists(Path.of(needed))) {
        throw new AssertionError(needed + " is missing: run scripts/install-galera (as root)");
      }
    }
    GaleraCluster cluster = new GaleraCluster(dir);
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      int[] ports = freePorts(12);
      String first = "127.0.0.1:" + ports[1];
      for (int i = 0; i < 3; i++) {
        cluster.nodes.add(cluster.startNode(i + 1, ports[4 * i], ports[4 * i + 1], ports[4 * i + 2],
            ports[4 * i + 3], i == 0 ? "" : first));
        int size = i + 1;
        for (int n = 1; n <= size; n++) {
          int node = n;
          try {
            eventually("Galera node " + node + " synced in a cluster of " + size,
                () -> cluster.status(node), s -> s.equals("Synced/" + size), JOIN);
          } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; its log ends:\n" + cluster.log(node), e);
          }
        }
      }
    } catch (IOException | RuntimeException | AssertionError e) {
      cluster.close();
      throw e instanceof AssertionError a ? a : new AssertionError("cannot start the Galera cluster", e);
    }
    return cluster;
  }

  private Node startNode(int index, int port, int groupPort, int istPort, int sstPort, String join)
      throws IOException {
    Path home = dir.resolve("node" + index);
    Path data = home.resolve("data");
    Files.createDirectories(home);
    boolean root = "root".equals(System.getProperty("user.name"));
    String user = root ? "nobody" : System.getProperty("user.name");
    if (root) {
      UserPrincipal nobody = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
      Files.setOwner(home, nobody);
    }
    run(home.resolve("install.log"), "/usr/bin/mariadb-install-db", "--no-defaults", "--datadir=" + data,
        "--user=" + user, "--auth-root-authentication-method=normal", "--skip-test-db");
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
      // The kernel stops the server when the JVM dies (see EmbeddedMariaDb); not once it dropped
      // root for nobody, which clears the signal: then close() alone does.
      command.addAll(List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--"));
    }
    command.addAll(List.of("/usr/sbin/mariadbd", "--no-defaults", "--user=" + user, "--basedir=/usr",
        "--datadir=" + data, "--socket=" + home.resolve("mariadbd.sock"), "--pid-file=" + home.resolve("mariadbd.pid"),
        "--bind-address=127.0.0.1", "--port=" + port, "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M", "--max-connections=100",
        // Galera's requirements.
        "--binlog-format=ROW", "--default-storage-engine=InnoDB", "--innodb-autoinc-lock-mode=2",
        "--wsrep-on=ON", "--wsrep-provider=" + PROVIDER, "--wsrep-cluster-name=sangdam-test",
        "--wsrep-node-name=node" + index, "--wsrep-node-address=127.0.0.1:" + groupPort,
        "--wsrep-cluster-address=gcomm://" + join, "--wsrep-sst-method=rsync",
        "--wsrep-sst-receive-address=127.0.0.1:" + sstPort,
        "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:" + groupPort + ";ist.recv_addr=127.0.0.1:"
            + istPort + ";gcache.size=32M"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(home.resolve("mariadbd.log").toFile());
    builder.environment().merge("PATH", SST_SCRIPTS, (path, scripts) -> scripts + ":" + path);
    return new Node(port, builder.start());
  }

  /** "state/cluster size" of node {@code n} (1 to 3), e.g. "Synced/3"; "down" while it does not answer. */
  private String status(int n) {
    Node node = nodes.get(n - 1);
    if (!node.process().isAlive()) {
      throw new AssertionError("Galera node " + n + " exited: " + log(n));
    }
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + node.port() + "/?connectTimeout=2000",
        "root", ""); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
            + "WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT'), (SELECT VARIABLE_VALUE FROM "
            + "information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_CLUSTER_SIZE')")) {
      rs.next();
      return rs.getString(1) + "/" + rs.getString(2);
    } catch (SQLException e) {
      return "down: " + e.getMessage();
    }
  }

  /** The last lines of node {@code n}'s log, for a failure's message. */
  public String log(int n) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("node" + n).resolve("mariadbd.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** JDBC URL of database {@code database} on node {@code n} (1 to 3), user root without a password. */
  public String url(int n, String database) {
    return "jdbc:mariadb://127.0.0.1:" + nodes.get(n - 1).port() + "/" + database;
  }

  private static void run(Path log, String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new AssertionError(command[0] + " failed: " + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  /**
   * Kills the three servers and deletes their files (hundreds of MB; a failure to start carries
   * the node's log in its message).
   */
  @Override
  public void close() {
    nodes.forEach(node -> node.process().destroyForcibly());
    for (Node node : nodes) {
      try {
        node.process().waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
