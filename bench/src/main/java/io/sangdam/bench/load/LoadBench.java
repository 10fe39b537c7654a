package io.sangdam.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's harness: starts Sangdam (on a fresh embedded MariaDB) and the raw echo
 * server as processes of their own, drives both with the same client in the same run, and prints
 * every figure side by side: start times, messages per second (durable relay against raw echo),
 * latency at half the relay's rate, and heap per idle connection. Writes the figures as JSON.
 *
 * <p>{@code LoadBench [--customers 200] [--window 4] [--seconds 15] [--idle 14000] [--out file] [--server-jar jar]}
 */
public final class LoadBench {
  /** Before counting: long enough for the JIT to finish with the hot paths of both servers. */
  static final long WARM_UP_MILLIS = 8_000;

  private final Options options;
  private final Path work;
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final List<String[]> table = new ArrayList<>();

  private LoadBench(Options options, Path work) {
    this.options = options;
    this.work = work;
  }

  record Options(int customers, int window, int seconds, int idle, Path out, Path serverJar) {
    static Options parse(String[] args) {
      Map<String, String> given = Arguments.named(args);
      return new Options(Integer.parseInt(given.getOrDefault("customers", "200")),
          Integer.parseInt(given.getOrDefault("window", "4")), Integer.parseInt(given.getOrDefault("seconds", "15")),
          Integer.parseInt(given.getOrDefault("idle", "14000")),
          Path.of(given.getOrDefault("out", "target/load-bench.json")),
          Path.of(given.getOrDefault("server-jar", "server/target/sangdam-server.jar")));
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Path work = Files.createDirectories(Path.of("target", "load-bench"));
    new LoadBench(options, work).run();
  }

  private void run() throws Exception {
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    Path data = work.resolve("data");
    deleteTree(data);
    Map<String, String> env = Map.of("SANGDAM_HTTP_PORT", String.valueOf(port), "SANGDAM_HTTP_HOST", "127.0.0.1",
        "SANGDAM_DATA_DIR", data.toAbsolutePath().toString(), "SANGDAM_ADMIN_PASSWORD", Setup.ADMIN_PASSWORD,
        // The flood limit guards against one misbehaving client; the bench's connections send on purpose.
        "SANGDAM_LIMITS_WSMESSAGESPERSECOND", "10000", "SANGDAM_LIMITS_WSBURST", "100000",
        // Every client of the bench is 127.0.0.1: the idle connections alone are thousands from one address.
        "SANGDAM_HTTP_MAXCONNECTIONSPERADDRESS", "1000000");
    List<String> sangdam = new ArrayList<>(List.of(Child.java(), "-Xmx4g"));
    // -Dsangdam.bench.serverJvm="-XX:StartFlightRecording=..." profiles the server under test.
    String extra = System.getProperty("sangdam.bench.serverJvm", "").trim();
    if (!extra.isEmpty()) {
      sangdam.addAll(List.of(extra.split("\\s+")));
    }
    sangdam.addAll(List.of("-Dlogback.configurationFile=conf/logback.xml", "-jar", options.serverJar().toString(),
        "--config", work.resolve("none.properties").toString()));

    try (Child first = Child.start("sangdam", sangdam, env, work.resolve("sangdam.log"))) {
      long ms = first.awaitOk(base + "/ready", Duration.ofMinutes(3));
      row("start, fresh embedded database", ms + " ms", "target <= 20,000 ms");
      figures.put("firstStartMs", ms);
    }
    try (Child server = Child.start("sangdam", sangdam, env, work.resolve("sangdam.log"));
        WsClients clients = new WsClients(2, 4)) {
      long ms = server.awaitOk(base + "/ready", Duration.ofMinutes(1));
      row("start, initialised database", ms + " ms", "target <= 3,000 ms");
      figures.put("restartMs", ms);

      Throughput echo = echoThroughput(clients);
      Setup setup = Setup.create(base, options.customers());
      Relay relay = Relay.open(clients, setup, options.customers());
      Throughput durable = relay.maxThroughput(options.window(), Duration.ofSeconds(options.seconds()), server::cpu);
      row("raw echo, messages/s", format(echo.perSecond()), options.customers() + " connections, "
          + options.window() + " in flight each");
      row("durable relay, customer -> agent messages/s", format(durable.perSecond()),
          String.format(Locale.ROOT, "%.0f %% of echo (target >= 30 %%)", 100 * durable.perSecond() / echo.perSecond()));
      // CPU per message tells the two servers apart even when other work on the machine takes the cores from both.
      row("CPU per message: echo server / Sangdam + its MariaDB", String.format(Locale.ROOT, "%.1f / %.1f + %.1f us",
          echo.micros(echo.cpu().own()), durable.micros(durable.cpu().own()), durable.micros(durable.cpu().children())),
          "over the counted seconds, at the rates above");
      figures.put("echoCpuMicrosPerMessage", echo.micros(echo.cpu().own()));
      figures.put("relayServerCpuMicrosPerMessage", durable.micros(durable.cpu().own()));
      figures.put("relayDatabaseCpuMicrosPerMessage", durable.micros(durable.cpu().children()));
      figures.put("echoPerSecond", echo.perSecond());
      figures.put("relayPerSecond", durable.perSecond());
      figures.put("relayShareOfEcho", durable.perSecond() / echo.perSecond());

      double rate = durable.perSecond() / 2;
      Latency latency = relay.latencyAt(rate, Duration.ofSeconds(options.seconds()));
      row(String.format(Locale.ROOT, "relay latency at %s msg/s: p50 / p99 / p99.9", format(rate)),
          latency.summary(), "target p99 <= 50 ms; " + latency.count() + " messages");
      figures.put("latencyRate", rate);
      figures.put("latencyMs", latency.asMap());
      relay.close();

      Idle idle = Idle.measure(clients, server, URI.create("ws://127.0.0.1:" + port + "/ws/customer"),
          options.idle());
      row("idle customer connections held", format(idle.connections()), "one process may open 20,000 files");
      row("server heap per idle connection (after GC)", String.format(Locale.ROOT, "%.1f KB", idle.bytesPer() / 1024.0),
          String.format(Locale.ROOT, "target <= 10 KB; 50,000 would take %.0f MB", idle.bytesPer() * 50_000 / 1e6));
      figures.put("idleConnections", idle.connections());
      figures.put("heapBytesPerIdleConnection", idle.bytesPer());
    }
    print();
    Files.createDirectories(options.out().toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.out().toFile(), figures);
    System.out.println("figures written to " + options.out());
  }

  /** The ceiling: the same client against a raw Netty echo server, as many connections, the same window. */
  private Throughput echoThroughput(WsClients clients) throws Exception {
    int port = freePort();
    List<String> command = List.of(Child.java(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        EchoServer.class.getName(), String.valueOf(port));
    try (Child echo = Child.start("echo", command, Map.of(), work.resolve("echo.log"))) {
      awaitPort(port);
      return Echo.maxThroughput(clients, URI.create("ws://127.0.0.1:" + port + "/ws"), options.customers(),
          options.window(), Duration.ofSeconds(options.seconds()), echo::cpu);
    }
  }

  private static void awaitPort(int port) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("the echo server did not listen on " + port);
  }

  private void row(String figure, String value, String note) {
    table.add(new String[] {figure, value, note});
    System.out.printf("  %s: %s (%s)%n", figure, value, note);
  }

  private void print() {
    int width = table.stream().mapToInt(r -> r[0].length()).max().orElse(10);
    int valueWidth = table.stream().mapToInt(r -> r[1].length()).max().orElse(10);
    System.out.println();
    System.out.println("Sangdam load bench (this machine: " + Runtime.getRuntime().availableProcessors() + " cores)");
    for (String[] r : table) {
      System.out.printf("  %-" + width + "s  %" + valueWidth + "s  %s%n", r[0], r[1], r[2]);
    }
  }

  static String format(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Waits for all, failing with the first failure. */
  static <T> List<T> all(List<CompletableFuture<T>> futures, Duration timeout) throws Exception {
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return futures.stream().map(CompletableFuture::join).toList();
  }

  static long textNanos(String frame) {
    int at = frame.indexOf("\"text\":\"t");
    if (at < 0) {
      return -1;
    }
    long value = 0;
    for (int i = at + 9; i < frame.length(); i++) {
      char c = frame.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** {@code cpu}: what the server under test used in the counted seconds, where it was measured. */
  record Throughput(long messages, double seconds, Child.Cpu cpu) {
    Throughput(long messages, double seconds) {
      this(messages, seconds, Child.Cpu.NONE);
    }

    double perSecond() {
      return messages / seconds;
    }

    /** {@code spent} per message, in microseconds. */
    double micros(Duration spent) {
      return spent.toNanos() / 1e3 / messages;
    }
  }
}
