package io.sangdam.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sangdam.bench.Trees;
import io.sangdam.embedded.EmbeddedMariaDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The cluster bench: one embedded MariaDB, a real nats-server and three Sangdam nodes (A, B, C), each
 * a process of its own, measured side by side in one run: the relay with customers and agents on A
 * and the center owned by A (same node), with customers on A and agents on B and the center owned by
 * B, and the same with the center owned by C (three nodes on each message's way), all three warmed up
 * together before each is measured alone; then failover runs,
 * each killing the owner of a center (SIGKILL) while customers write to it. Prints the table and
 * writes the figures as JSON.
 *
 * <p>{@code ClusterBench [--customers 200] [--window 4] [--seconds 10] [--runs 10] [--out file] [--server-jar jar]}
 */
public final class ClusterBench {
  private static final String DATABASE = "sangdam_cluster_bench";

  private final Options options;
  private final Path work;
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final List<String[]> table = new ArrayList<>();

  private ClusterBench(Options options, Path work) {
    this.options = options;
    this.work = work;
  }

  record Options(int customers, int window, int seconds, int runs, Path out, Path serverJar) {
    static Options parse(String[] args) {
      Map<String, String> given = Arguments.named(args);
      return new Options(Integer.parseInt(given.getOrDefault("customers", "200")),
          Integer.parseInt(given.getOrDefault("window", "4")), Integer.parseInt(given.getOrDefault("seconds", "10")),
          Integer.parseInt(given.getOrDefault("runs", "10")),
          Path.of(given.getOrDefault("out", "target/cluster-bench.json")),
          Path.of(given.getOrDefault("server-jar", "server/target/sangdam-server.jar")));
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Path work = Path.of("target", "cluster-bench");
    for (String dir : List.of("nats", "node-a", "node-b", "node-c")) {
      Trees.delete(work.resolve(dir));
    }
    Files.createDirectories(work);
    for (String node : List.of("node-a", "node-b", "node-c")) {
      Files.deleteIfExists(work.resolve(node + ".log"));
    }
    new ClusterBench(options, work).run();
    System.exit(0); // the embedded MariaDB's watcher threads would keep the JVM alive
  }

  private void run() throws Exception {
    long began = System.nanoTime();
    figures.put("loadAverageBefore", loadAverage());
    try (EmbeddedMariaDb mariadb = EmbeddedMariaDb.start(work.resolve("mariadb"))) {
      String server = "jdbc:mariadb://127.0.0.1:" + mariadb.port() + "/";
      try (Connection c = DriverManager.getConnection(server, "root", ""); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + DATABASE);
      }
      String dbUrl = mariadb.createDatabase(DATABASE);
      try (ClusterNodes cluster = new ClusterNodes(work, options.serverJar(), dbUrl);
          WsClients clients = new WsClients(2, 4)) {
        cluster.startNats();
        ClusterNodes.Node a = cluster.add("node-a", "bench/same");
        ClusterNodes.Node b = cluster.add("node-b", "bench/viab");
        ClusterNodes.Node c = cluster.add("node-c", "bench/viac");
        // The first node creates the schema and the administrator; the others join it.
        a.start();
        a.awaitReady();
        b.start();
        c.start();
        b.awaitReady();
        c.awaitReady();
        row("nodes", "3", "separate JVMs (-Xmx1g) on one MariaDB and one nats-server, "
            + Runtime.getRuntime().availableProcessors() + " cores shared with the client");

        String admin = Setup.tenant(a.http());
        List<String> sameAgents = Setup.center(a.http(), admin, "same", "q", "s", options.customers());
        List<String> viaBAgents = Setup.center(a.http(), admin, "viab", "q", "b", options.customers());
        List<String> viaCAgents = Setup.center(a.http(), admin, "viac", "q", "c", options.customers());
        String failoverAgent = Setup.center(a.http(), admin, Failover.CENTER, Failover.QUEUE, "f", 1).get(0);
        Map<String, String> owners = new LinkedHashMap<>();
        for (var wanted : Map.of("same", "node-a", "viab", "node-b", "viac", "node-c").entrySet()) {
          owners.put(wanted.getKey(), cluster.awaitOwner(a, admin, "bench/" + wanted.getKey(), wanted.getValue(),
              Duration.ofSeconds(60)));
        }
        figures.put("owners", owners);

        String shape = options.customers() + " customers x " + options.window() + " in flight";
        Relay same = Relay.open(clients, a.ws(), a.ws(), "same", "q", sameAgents, options.customers());
        Relay viaB = Relay.open(clients, a.ws(), b.ws(), "viab", "q", viaBAgents, options.customers());
        Relay viaC = Relay.open(clients, a.ws(), b.ws(), "viac", "q", viaCAgents, options.customers());
        row("customers told 'assigned' before 'started' (same / owner B / owner C)", same.assignedBeforeStarted
            + " / " + viaB.assignedBeforeStarted + " / " + viaC.assignedBeforeStarted, "the protocol's order: 0");
        row("customers never told 'assigned' (same / owner B / owner C)", same.assignedUntold + " / "
            + viaB.assignedUntold + " / " + viaC.assignedUntold, "should be 0; their chats were assigned all the same");
        figures.put("assignedBeforeStarted", List.of(same.assignedBeforeStarted, viaB.assignedBeforeStarted,
            viaC.assignedBeforeStarted));
        figures.put("assignedUntold", List.of(same.assignedUntold, viaB.assignedUntold, viaC.assignedUntold));
        Duration counted = Duration.ofSeconds(options.seconds());
        // All three at once first, uncounted: every node's JIT is done with its share of the paths
        // before any is measured, so the first measured does not pay for the others.
        ExecutorService together = Executors.newFixedThreadPool(3);
        try {
          LoadBench.all(List.of(same, viaB, viaC).stream().map(r -> CompletableFuture.supplyAsync(() -> {
            try {
              return r.maxThroughput(options.window(), counted);
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }, together)).toList(), Duration.ofMinutes(2));
        } finally {
          together.shutdown();
        }
        LoadBench.Throughput sameRate = same.maxThroughput(options.window(), counted);
        LoadBench.Throughput viaBRate = viaB.maxThroughput(options.window(), counted);
        LoadBench.Throughput viaCRate = viaC.maxThroughput(options.window(), counted);
        row("same node (customers, agents, owner on " + owners.get("same") + "), msg/s",
            LoadBench.format(sameRate.perSecond()), shape);
        row("cross node (customers on A, agents and owner on " + owners.get("viab") + "), msg/s",
            LoadBench.format(viaBRate.perSecond()), share(viaBRate.perSecond(), sameRate.perSecond())
            + " of same node (goal >= 70 %)");
        row("cross node (customers on A, agents on B, owner " + owners.get("viac") + "), msg/s",
            LoadBench.format(viaCRate.perSecond()), share(viaCRate.perSecond(), sameRate.perSecond())
            + " of same node (goal >= 70 %)");
        figures.put("shape", shape);
        figures.put("sameNodePerSecond", sameRate.perSecond());
        figures.put("crossNodeOwnerBPerSecond", viaBRate.perSecond());
        figures.put("crossNodeOwnerCPerSecond", viaCRate.perSecond());

        // One rate for all three, half of the slowest's ceiling, so their latencies compare.
        double rate = Math.min(sameRate.perSecond(), Math.min(viaBRate.perSecond(), viaCRate.perSecond())) / 2;
        Latency sameLatency = same.latencyAt(rate, counted);
        Latency viaBLatency = viaB.latencyAt(rate, counted);
        Latency viaCLatency = viaC.latencyAt(rate, counted);
        String at = " at " + LoadBench.format(rate) + " msg/s: p50 / p99 / p99.9";
        row("same node latency" + at, sameLatency.summary(), sameLatency.count() + " messages");
        row("cross node, owner B, latency" + at, viaBLatency.summary(), "p99 same / cross: "
            + share(p99(sameLatency), p99(viaBLatency)) + " (goal >= 70 %)");
        row("cross node, owner C, latency" + at, viaCLatency.summary(), "p99 same / cross: "
            + share(p99(sameLatency), p99(viaCLatency)) + " (goal >= 70 %)");
        figures.put("latencyRate", rate);
        figures.put("sameNodeLatencyMs", sameLatency.asMap());
        figures.put("crossNodeOwnerBLatencyMs", viaBLatency.asMap());
        figures.put("crossNodeOwnerCLatencyMs", viaCLatency.asMap());
        same.close();
        viaB.close();
        viaC.close();

        failover(cluster, clients, admin, failoverAgent, dbUrl);
      }
    }
    figures.put("loadAverageAfter", loadAverage());
    row("whole bench", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - began) / 1e9),
        "load average (1, 5, 15 min) before: " + figures.get("loadAverageBefore") + ", after: "
        + figures.get("loadAverageAfter"));
    print();
    Files.createDirectories(options.out().toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.out().toFile(), figures);
    System.out.println("figures written to " + options.out());
  }

  private void failover(ClusterNodes cluster, WsClients clients, String admin, String agent, String dbUrl)
      throws Exception {
    List<Failover.Result> results = new ArrayList<>();
    for (int n = 0; n < options.runs(); n++) {
      Failover.Result r = Failover.run(n, cluster, clients, admin, agent, dbUrl);
      System.out.printf(Locale.ROOT, "  failover %d: killed %s, %s took over; assigned after %d ms, first ack after"
          + " %d ms; %d acknowledged, %d lost, %d stored twice, %d gaps%n", n + 1, r.killed(), r.newOwner(),
          r.assignedMillis(), r.acknowledgedMillis(), r.acknowledged(), r.lost(), r.duplicated(), r.gaps());
      results.add(r);
    }
    List<Long> assigned = results.stream().map(Failover.Result::assignedMillis).sorted().toList();
    List<Long> acked = results.stream().map(Failover.Result::acknowledgedMillis).sorted().toList();
    row("failover, kill -> first assignment by the new owner: median / max",
        median(assigned) + " / " + assigned.get(assigned.size() - 1) + " ms",
        results.size() + " runs, default center lease 5 s (goal <= 5 s)");
    row("failover, kill -> first acknowledged message sent after it: median / max",
        median(acked) + " / " + acked.get(acked.size() - 1) + " ms", "a customer on a surviving node");
    int acknowledged = results.stream().mapToInt(Failover.Result::acknowledged).sum();
    int lost = results.stream().mapToInt(Failover.Result::lost).sum();
    int duplicated = results.stream().mapToInt(Failover.Result::duplicated).sum();
    int gaps = results.stream().mapToInt(Failover.Result::gaps).sum();
    row("failover, acknowledged messages lost / stored twice / seq gaps", lost + " / " + duplicated + " / " + gaps,
        acknowledged + " acknowledged in all (goal 0 / 0)");
    int outOfOrder = results.stream().mapToInt(Failover.Result::assignedBeforeStarted).sum();
    row("failover, chats told 'assigned' before 'started'", String.valueOf(outOfOrder), (3 * results.size())
        + " chats started (the protocol's order: 0)");
    figures.put("failoverAssignedBeforeStarted", outOfOrder);
    figures.put("failoverRuns", results);
    figures.put("failoverAssignedMedianMs", median(assigned));
    figures.put("failoverAssignedMaxMs", assigned.get(assigned.size() - 1));
    figures.put("failoverAcknowledgedMedianMs", median(acked));
    figures.put("failoverAcknowledgedMaxMs", acked.get(acked.size() - 1));
    figures.put("failoverAcknowledged", acknowledged);
    figures.put("failoverLost", lost);
    figures.put("failoverDuplicated", duplicated);
    figures.put("failoverGaps", gaps);
  }

  private static long median(List<Long> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double p99(Latency latency) {
    return latency.histogram().getValueAtPercentile(99);
  }

  private static String share(double part, double whole) {
    return String.format(Locale.ROOT, "%.0f %%", 100 * part / whole);
  }

  private void row(String figure, String value, String note) {
    table.add(new String[] {figure, value, note});
    System.out.printf("  %s: %s (%s)%n", figure, value, note);
  }

  private void print() {
    int width = table.stream().mapToInt(r -> r[0].length()).max().orElse(10);
    int valueWidth = table.stream().mapToInt(r -> r[1].length()).max().orElse(10);
    System.out.println();
    System.out.println("Sangdam cluster bench (this machine: " + Runtime.getRuntime().availableProcessors()
        + " cores)");
    for (String[] r : table) {
      System.out.printf("  %-" + width + "s  %" + valueWidth + "s  %s%n", r[0], r[1], r[2]);
    }
  }

  /** The machine's load averages, as other work on it colours every figure. */
  private static String loadAverage() throws IOException {
    Path file = Path.of("/proc/loadavg");
    return Files.exists(file) ? String.join(" ", List.of(Files.readString(file).split(" ")).subList(0, 3)) : "?";
  }

}
