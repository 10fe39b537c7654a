package io.sangdam.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Several Sangdam nodes in this JVM, clustered on a real nats-server (started here, on a free
 * loopback port) and one fresh database. Register with {@code @RegisterExtension static}; nodes are
 * named {@code node-a}, {@code node-b}, ... and started in that order.
 */
public final class TestCluster implements BeforeAllCallback, AfterAllCallback {
  private final int size;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> settingsOfNode = new LinkedHashMap<>();
  private final Map<String, TestServer> nodes = new LinkedHashMap<>();
  private NatsServer nats;
  private Path natsDir;
  private TestDatabase.Url database;

  public TestCluster(int size) {
    this.size = size;
  }

  /** Sets a configuration key on every node. */
  public TestCluster with(String key, String value) {
    settings.put(key, value);
    return this;
  }

  /** Sets a configuration key on one node ({@code "node-a"}...), after those of every node. */
  public TestCluster on(String node, String key, String value) {
    settingsOfNode.computeIfAbsent(node, n -> new LinkedHashMap<>()).put(key, value);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    natsDir = Files.createTempDirectory("sangdam-nats");
    nats = NatsServer.start(natsDir);
    database = TestDatabase.create(context);
    for (int i = 0; i < size; i++) {
      String name = "node-" + (char) ('a' + i);
      TestServer node = another(name);
      node.beforeAll(context);
      nodes.put(name, node);
    }
  }

  /** A node named {@code name} on this cluster's NATS and database, not started: start and stop it yourself. */
  public TestServer another(String name) {
    TestServer node = new TestServer().onDatabase(database)
        .with("cluster.natsUrl", nats.url())
        .with("cluster.nodeName", name);
    settings.forEach(node::with);
    settingsOfNode.getOrDefault(name, Map.of()).forEach(node::with);
    return node;
  }

  /** A node by name ({@code "node-a"}...). */
  public TestServer node(String name) {
    TestServer node = nodes.get(name);
    if (node == null) {
      throw new IllegalArgumentException("no node " + name + " among " + nodes.keySet());
    }
    return node;
  }

  public List<TestServer> nodes() {
    return new ArrayList<>(nodes.values());
  }

  public NatsServer nats() {
    return nats;
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    AssertionError failed = null;
    List<TestServer> reverse = new ArrayList<>(nodes.values());
    java.util.Collections.reverse(reverse);
    for (TestServer node : reverse) {
      try {
        node.afterAll(context);
      } catch (AssertionError e) {
        failed = e;
      }
    }
    nats.close();
    try (var files = Files.walk(natsDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    if (failed != null) {
      throw failed;
    }
  }
}
