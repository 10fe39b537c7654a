package io.sangdam.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sangdam.bench.Trees;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Then the contact-center day ({@link Day}) on a server of its own, on a fresh database: at each rate of
 * {@code --day-rates} in turn, latency, the server's CPU and heap, MariaDB's CPU and the connections held.
 *
 * <p>{@code LoadBench [--customers 200] [--window 4] [--warmup 120] [--seconds 15] [--idle 14000]
 * [--stages all|relay|day] [--day-chats 10000] [--day-agents 2500] [--day-rates 1,0.5] [--day-seconds 60]
 * [--day-warmup 30] [--day-jfr file] [--out file] [--server-jar jar]}
 */
public final class LoadBench {
  /** Before counting a relay already warmed up otherwise (the cluster bench runs its nodes together first). */
  static final Duration WARM_UP = Duration.ofSeconds(8);
  /**
   * Before counting the relay and the echo, by default: a new server's C2 compiler takes 30 to 40 % of its CPU for
   * the first minute and a half of the relay (profiled), which 8 s of warm-up left in the counted seconds.
   */
  private static final String RELAY_WARM_UP_SECONDS = "120";

  private final Options options;
  private final Path work;
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final List<String[]> table = new ArrayList<>();

  private LoadBench(Options options, Path work) {
    this.options = options;
    this.work = work;
  }

  record Options(int customers, int window, int warmUp, int seconds, int idle, boolean relay, boolean day,
      int dayChats, int dayAgents, List<Double> dayRates, int daySeconds, int dayWarmUp, Path dayJfr, Path out,
      Path serverJar) {
    static Options parse(String[] args) {
      Map<String, String> given = Arguments.named(args);
      String stages = given.getOrDefault("stages", "all");
      if (!List.of("all", "relay", "day").contains(stages)) {
        throw new IllegalArgumentException("--stages is all, relay or day, not " + stages);
      }
      return new Options(Integer.parseInt(given.getOrDefault("customers", "200")),
          Integer.parseInt(given.getOrDefault("window", "4")),
          Integer.parseInt(given.getOrDefault("warmup", RELAY_WARM_UP_SECONDS)),
          Integer.parseInt(given.getOrDefault("seconds", "15")),
          Integer.parseInt(given.getOrDefault("idle", "14000")), !stages.equals("day"), !stages.equals("relay"),
          Integer.parseInt(given.getOrDefault("day-chats", "10000")),
          Integer.parseInt(given.getOrDefault("day-agents", "2500")),
          Arrays.stream(given.getOrDefault("day-rates", "1,0.5").split(",")).map(Double::valueOf).toList(),
          Integer.parseInt(given.getOrDefault("day-seconds", "60")),
          Integer.parseInt(given.getOrDefault("day-warmup", "30")),
          given.containsKey("day-jfr") ? Path.of(given.get("day-jfr")).toAbsolutePath() : null,
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
    if (options.relay()) {
      relayEchoIdle();
    }
    if (options.day()) {
      day();
    }
    print();
    Files.createDirectories(options.out().toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.out().toFile(), figures);
    System.out.println("figures written to " + options.out());
  }

  private void relayEchoIdle() throws Exception {
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    Path data = work.resolve("data");
    Trees.delete(data);
    Map<String, String> env = Map.of("SANGDAM_HTTP_PORT", String.valueOf(port), "SANGDAM_HTTP_HOST", "127.0.0.1",
        "SANGDAM_DATA_DIR", data.toAbsolutePath().toString(), "SANGDAM_ADMIN_PASSWORD", Setup.ADMIN_PASSWORD,
        // The flood limit guards against one misbehaving client; the bench's connections send on purpose.
        "SANGDAM_LIMITS_WSMESSAGESPERSECOND", "10000", "SANGDAM_LIMITS_WSBURST", "100000",
        // Every client of the bench is 127.0.0.1: the idle connections alone are thousands from one address.
        "SANGDAM_HTTP_MAXCONNECTIONSPERADDRESS", "1000000");
    List<String> sangdam = serverCommand(work.resolve("none.properties"));

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
      Throughput durable = relay.maxThroughput(options.window(), Duration.ofSeconds(options.warmUp()),
          Duration.ofSeconds(options.seconds()), server::cpu);
      row("raw echo, messages/s", format(echo.perSecond()), options.customers() + " connections, "
          + options.window() + " in flight each, counted after " + options.warmUp() + " s of warm-up");
      row("durable relay, customer -> agent messages/s", format(durable.perSecond()),
          String.format(Locale.ROOT, "%.0f %% of echo (target >= 30 %%)", 100 * durable.perSecond() / echo.perSecond()));
      // CPU per message tells the two servers apart even when other work on the machine takes the cores from both.
      row("CPU per message: echo server / Sangdam + its MariaDB", String.format(Locale.ROOT, "%.1f / %.1f + %.1f us",
          echo.micros(echo.cpu().own()), durable.micros(durable.cpu().own()), durable.micros(durable.cpu().children())),
          "over the counted seconds, at the rates above");
      figures.put("echoCpuMicrosPerMessage", echo.micros(echo.cpu().own()));
      figures.put("relayServerCpuMicrosPerMessage", durable.micros(durable.cpu().own()));
      figures.put("relayDatabaseCpuMicrosPerMessage", durable.micros(durable.cpu().children()));
      figures.put("relayWarmUpSeconds", options.warmUp());
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
  }

  /** The server's JVM options: a 4 GB heap and whatever {@code -Dsangdam.bench.serverJvm} adds. */
  private List<String> serverCommand(Path config) {
    List<String> command = new ArrayList<>(List.of(Child.java(), "-Xmx4g"));
    // -Dsangdam.bench.serverJvm="-XX:StartFlightRecording=..." profiles the server under test.
    String extra = System.getProperty("sangdam.bench.serverJvm", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-Dlogback.configurationFile=conf/logback.xml", "-jar", options.serverJar().toString(),
        "--config", config.toString()));
    return command;
  }

  /**
   * The contact-center day on a server of its own (fresh database, the product's defaults but for cheaper
   * password hashing, so that 2,500 staff accounts are made and signed in within seconds), at each rate in turn.
   */
  private void day() throws Exception {
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    Path data = work.resolve("day-data");
    Trees.delete(data);
    Map<String, String> env = Map.of("SANGDAM_HTTP_PORT", String.valueOf(port), "SANGDAM_HTTP_HOST", "127.0.0.1",
        "SANGDAM_DATA_DIR", data.toAbsolutePath().toString(), "SANGDAM_ADMIN_PASSWORD", Setup.ADMIN_PASSWORD,
        "SANGDAM_AUTH_PASSWORDITERATIONS", "1000");
    int chats = options.dayChats();
    int agents = options.dayAgents();
    int perAgent = (chats + agents - 1) / agents;
    try (Child server = Child.start("sangdam", serverCommand(work.resolve("none.properties")), env,
        work.resolve("day.log")); WsClients clients = new WsClients(2, 4)) {
      server.awaitOk(base + "/ready", Duration.ofMinutes(3));
      long setupStarted = System.nanoTime();
      List<String> tokens = Setup.staff(base, agents, perAgent);
      Day day = Day.open(clients, base, tokens.subList(0, agents), tokens.get(agents), chats);
      System.out.printf(Locale.ROOT, "  day: %,d agents and %,d conversations set up in %.0f s%n", agents, chats,
          (System.nanoTime() - setupStarted) / 1e9);
      List<Map<String, Object>> runs = new ArrayList<>();
      boolean first = true;
      for (double rate : options.dayRates()) {
        runs.add(dayAt(server, base, day, rate, first ? options.dayWarmUp() : 10, first ? options.dayJfr() : null));
        first = false;
      }
      day.stop();
      long heap = server.heapAfterGc();
      row("day: server heap in use after GC, all connections open", String.format(Locale.ROOT, "%.0f MB", heap / 1e6),
          String.format(Locale.ROOT, "%.1f KB per conversation", heap / 1024.0 / chats));
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("conversations", chats);
      summary.put("agents", agents);
      summary.put("chatsPerAgent", perAgent);
      summary.put("heapAfterGcBytes", heap);
      summary.put("errors", day.errors());
      summary.put("runs", runs);
      figures.put("day", summary);
      if (!day.errors().isEmpty()) {
        row("day: error frames", day.errors().toString(), "customer and agent sides, whole day");
      }
      day.close();
    }
  }

  /** One rate of the day: warm-up, then the measured window; its figures. */
  private Map<String, Object> dayAt(Child server, String base, Day day, double rate, int warmUpSeconds, Path jfr)
      throws Exception {
    Thread driver = new Thread(() -> day.drive(rate, Duration.ofSeconds(warmUpSeconds + options.daySeconds())),
        "day-driver");
    driver.start();
    Thread.sleep(warmUpSeconds * 1000L);
    ProcessHandle mariadb = server.database().orElseThrow(() -> new IllegalStateException("no embedded MariaDB"));
    day.reset();
    long started = System.nanoTime();
    long cpu = server.cpuNanos();
    long dbCpu = Child.cpuNanos(mariadb.pid());
    long clientCpu = Child.cpuNanos(ProcessHandle.current().pid());
    Scrape metrics = Scrape.of(base);
    GcPauses clientGc = GcPauses.ofThisJvm();
    if (jfr != null) {
      server.jcmd("JFR.start name=day settings=profile filename=" + jfr);
    }
    Thread.sleep(options.daySeconds() * 500L);
    long serverSockets = server.sockets();
    long clientSockets = day.connections();
    long heapMid = server.heapUsed();
    driver.join();
    double seconds = (System.nanoTime() - started) / 1e9;
    double cores = (server.cpuNanos() - cpu) / 1e9 / seconds;
    double dbCores = (Child.cpuNanos(mariadb.pid()) - dbCpu) / 1e9 / seconds;
    double clientCores = (Child.cpuNanos(ProcessHandle.current().pid()) - clientCpu) / 1e9 / seconds;
    Scrape metricsAfter = Scrape.of(base);
    GcPauses serverGc = GcPauses.ofServer(metricsAfter).since(GcPauses.ofServer(metrics));
    clientGc = GcPauses.ofThisJvm().since(clientGc);
    double commits = metricsAfter.since(metrics, "sangdam_writer_commit_seconds_count");
    double commitMs = commits == 0 ? 0
        : metricsAfter.since(metrics, "sangdam_writer_commit_seconds_sum") * 1e3 / commits;
    double batch = commits == 0 ? 0 : metricsAfter.since(metrics, "sangdam_writer_batch_size_sum") / commits;
    double longestCommitMs = metricsAfter.value("sangdam_writer_commit_seconds_max") * 1e3;
    if (jfr != null) {
      server.jcmd("JFR.stop name=day");
    }
    Thread.sleep(2_000); // what was sent last lands in this window's histograms
    Day.Counts counts = day.reset();
    Latency latency = new Latency(Day.both(counts));
    double planned = rate * 2 * options.dayChats() / Day.WRITE_EVERY_SECONDS;
    String label = String.format(Locale.ROOT, "day at %s msg/s", format(planned));
    row(label + ": latency p50 / p99 / p99.9", latency.summary(), String.format(Locale.ROOT,
        "target p99 <= 20 ms; %,d messages; to agents %s, to customers %s", latency.count(),
        new Latency(counts.toAgent).summary(), new Latency(counts.toCustomer).summary()));
    row(label + ": server CPU, MariaDB CPU", String.format(Locale.ROOT, "%.2f / %.2f cores", cores, dbCores),
        String.format(Locale.ROOT, "target server < 0.5 of a core; from /proc over %d s; the client took %.2f",
            Math.round(seconds), clientCores));
    row(label + ": GC pauses of the server", serverGc.summary(seconds),
        "client (this JVM): " + clientGc.summary(seconds));
    row(label + ": message writer's commits", String.format(Locale.ROOT, "%s a second, %.2f ms each",
        format(commits / seconds), commitMs), String.format(Locale.ROOT,
        "%.1f messages each; the longest of the last two minutes or so %.1f ms (Micrometer's decaying max)", batch,
        longestCommitMs));
    row(label + ": sockets held by the server / client WebSockets", serverSockets + " / " + clientSockets,
        String.format(Locale.ROOT, "server heap in use (garbage included) %.0f MB", heapMid / 1e6));
    row(label + ": per second sent / delivered / typing / read", String.format(Locale.ROOT, "%s / %s / %s / %s",
        format(counts.sent.sum() / seconds), format(counts.delivered.sum() / seconds),
        format(counts.typing.sum() / seconds), format(counts.reads.sum() / seconds)),
        String.format(Locale.ROOT, "%d reconnects (%d resumed), %d closed and %d new, %d skipped, %d board pushes",
            counts.reconnects.sum(), counts.resumed.sum(), counts.closes.sum(), counts.arrivals.sum(),
            counts.skipped.sum(), counts.dashboards.sum()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rate", rate);
    m.put("plannedMessagesPerSecond", planned);
    m.put("seconds", seconds);
    m.put("latencyMs", latency.asMap());
    m.put("toAgentMs", new Latency(counts.toAgent).asMap());
    m.put("toCustomerMs", new Latency(counts.toCustomer).asMap());
    m.put("serverCpuCores", cores);
    m.put("mariadbCpuCores", dbCores);
    m.put("clientCpuCores", clientCores);
    m.put("serverGcPauses", serverGc.count());
    m.put("serverGcPauseSeconds", serverGc.seconds());
    m.put("clientGcPauses", clientGc.count());
    m.put("clientGcPauseSeconds", clientGc.seconds());
    m.put("writerCommitsPerSecond", commits / seconds);
    m.put("writerCommitMs", commitMs);
    m.put("writerMessagesPerCommit", batch);
    m.put("writerLongestRecentCommitMs", longestCommitMs);
    m.put("serverSockets", serverSockets);
    m.put("clientWebSockets", clientSockets);
    m.put("serverHeapInUseBytes", heapMid);
    m.put("sent", counts.sent.sum());
    m.put("delivered", counts.delivered.sum());
    m.put("typing", counts.typing.sum());
    m.put("reads", counts.reads.sum());
    m.put("reconnects", counts.reconnects.sum());
    m.put("resumed", counts.resumed.sum());
    m.put("closed", counts.closes.sum());
    m.put("arrived", counts.arrivals.sum());
    m.put("skipped", counts.skipped.sum());
    m.put("dashboardPushes", counts.dashboards.sum());
    m.put("dashboardBytes", counts.dashboardBytes.sum());
    return m;
  }

  /** The ceiling: the same client against a raw Netty echo server, as many connections, the same window. */
  private Throughput echoThroughput(WsClients clients) throws Exception {
    int port = freePort();
    List<String> command = List.of(Child.java(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        EchoServer.class.getName(), String.valueOf(port));
    try (Child echo = Child.start("echo", command, Map.of(), work.resolve("echo.log"))) {
      awaitPort(port);
      return Echo.maxThroughput(clients, URI.create("ws://127.0.0.1:" + port + "/ws"), options.customers(),
          options.window(), Duration.ofSeconds(options.warmUp()), Duration.ofSeconds(options.seconds()), echo::cpu);
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
