package io.sangdam.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processes of the cluster bench: a real nats-server with JetStream on a free loopback port and
 * Sangdam nodes, each a JVM of its own on that NATS and one database, which the bench kills (SIGKILL)
 * and starts again under the same name.
 */
final class ClusterNodes implements AutoCloseable {
  private final Path work;
  private final Path serverJar;
  private final String dbUrl;
  private Process nats;
  private String natsUrl;
  private final Map<String, Node> nodes = new LinkedHashMap<>();

  ClusterNodes(Path work, Path serverJar, String dbUrl) {
    this.work = work;
    this.serverJar = serverJar;
    this.dbUrl = dbUrl;
  }

  /** Debian's nats-server (scripts/install-nats), JetStream on, its store under the bench's directory. */
  void startNats() throws IOException, InterruptedException {
    String executable = List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server")
        .stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst()
        .orElseThrow(() -> new IllegalStateException("nats-server is not installed: run scripts/install-nats as root"));
    int port = freePort();
    Path dir = Files.createDirectories(work.resolve("nats"));
    nats = new ProcessBuilder(executable, "-a", "127.0.0.1", "-p", String.valueOf(port), "-js", "-sd",
        dir.resolve("jetstream").toString(), "-l", dir.resolve("nats-server.log").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("nats-server.out").toFile()).start();
    for (int i = 0; i < 1_000; i++) {
      if (!nats.isAlive()) {
        throw new IllegalStateException("nats-server exited; see " + dir);
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        natsUrl = "nats://127.0.0.1:" + port;
        return;
      } catch (IOException e) {
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("nats-server did not listen on " + port);
  }

  /** A node of this cluster that prefers {@code centers} ({@code tenant/center,...}); started by {@link Node#start}. */
  Node add(String name, String centers) throws IOException {
    Node node = new Node(name, centers, freePort());
    nodes.put(name, node);
    return node;
  }

  Node node(String name) {
    Node node = nodes.get(name);
    if (node == null) {
      throw new IllegalStateException("no node named " + name);
    }
    return node;
  }

  List<Node> all() {
    return new ArrayList<>(nodes.values());
  }

  /** The node that owns {@code center} ({@code tenant/center}) as {@code GET /api/cluster} of {@code asked} says; "" if none. */
  static String ownerOf(Node asked, String admin, String center) throws IOException, InterruptedException {
    JsonNode view = Setup.get(asked.http() + "/api/cluster", admin);
    for (JsonNode n : view.path("nodes")) {
      for (JsonNode c : n.path("centers")) {
        if (c.asText().equals(center)) {
          return n.path("name").asText();
        }
      }
    }
    return "";
  }

  /** Polls until {@code center} has an owner that is running, at most {@code timeout}; its name, or "" past it. */
  String awaitOwner(Node asked, String admin, String center, String wanted, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String owner = "";
    while (System.nanoTime() < deadline) {
      owner = ownerOf(asked, admin, center);
      if (!owner.isEmpty() && nodes.containsKey(owner) && nodes.get(owner).running()
          && (wanted == null || wanted.equals(owner))) {
        return owner;
      }
      Thread.sleep(100);
    }
    return owner;
  }

  final class Node {
    final String name;
    private final String centers;
    private final int port;
    private Child child;

    private Node(String name, String centers, int port) {
      this.name = name;
      this.centers = centers;
      this.port = port;
    }

    String http() {
      return "http://127.0.0.1:" + port;
    }

    String ws() {
      return "ws://127.0.0.1:" + port;
    }

    boolean running() {
      return child != null;
    }

    /** Starts the node's JVM (again, after {@link #kill}, with the same name, port and data directory). */
    void start() throws IOException {
      Map<String, String> env = new HashMap<>(Map.of("SANGDAM_HTTP_PORT", String.valueOf(port),
          "SANGDAM_HTTP_HOST", "127.0.0.1", "SANGDAM_DATA_DIR", work.resolve(name).toAbsolutePath().toString(),
          "SANGDAM_ADMIN_PASSWORD", Setup.ADMIN_PASSWORD, "SANGDAM_DB_URL", dbUrl, "SANGDAM_DB_USER", "root",
          "SANGDAM_DB_PASSWORD", "", "SANGDAM_CLUSTER_NATSURL", natsUrl, "SANGDAM_CLUSTER_NODENAME", name,
          "SANGDAM_CLUSTER_CENTERS", centers));
      // As in the load bench: the bench's connections send on purpose and all come from 127.0.0.1.
      env.putAll(Map.of("SANGDAM_LIMITS_WSMESSAGESPERSECOND", "10000", "SANGDAM_LIMITS_WSBURST", "100000",
          "SANGDAM_HTTP_MAXCONNECTIONSPERADDRESS", "1000000",
          // Sign-ins are not measured here; fewer hash iterations keep the setup of many agents short.
          "SANGDAM_AUTH_PASSWORDITERATIONS", "1000"));
      List<String> command = List.of(Child.java(), "-Xmx1g", "-Dlogback.configurationFile=conf/logback.xml",
          "-jar", serverJar.toString(), "--config", work.resolve("none.properties").toString());
      child = Child.start(name, command, env, work.resolve(name + ".log"));
    }

    long awaitReady() throws InterruptedException {
      return child.awaitOk(http() + "/ready", Duration.ofMinutes(2));
    }

    /** SIGKILL: the node ends at once, its leases unreleased. */
    void kill() throws InterruptedException {
      child.kill();
      child = null;
    }

    void stop() throws InterruptedException {
      if (child != null) {
        child.close();
        child = null;
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (Node node : nodes.values()) {
      node.stop();
    }
    if (nats != null) {
      nats.destroy();
      if (!nats.waitFor(20, TimeUnit.SECONDS)) {
        nats.destroyForcibly().waitFor();
      }
    }
  }
}
