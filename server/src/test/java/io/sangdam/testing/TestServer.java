package io.sangdam.testing;

import io.sangdam.Server;
import io.sangdam.chat.CenterOwnership;
import io.sangdam.config.ConfigLoader;
import io.sangdam.crypto.FieldCipher;
import io.sangdam.crypto.FieldKeyFile;
import io.sangdam.routing.ScheduledTimers;
import io.sangdam.routing.Timers;
import io.sangdam.store.FieldSealing;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.stream.Stream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the real server on port 0 against a fresh database, once per test class, and hands the
 * tests an HTTP client and WebSocket connections. Register with {@code @RegisterExtension static}.
 */
public final class TestServer implements BeforeAllCallback, AfterAllCallback {
  public static final String ADMIN_PASSWORD = "admin-pass-1234";
  /**
   * A password the default policy takes for any user the tests create (10 or more characters of 3 kinds, no
   * username in it), for tests that need a user signed in rather than a password tried.
   */
  public static final String STAFF_PASSWORD = "Staff-pass-2026";

  private final Map<String, String> settings = new HashMap<>();
  private final boolean embedded;
  private final AtomicInteger codes = new AtomicInteger();
  private final String dataDirName = java.util.UUID.randomUUID().toString();
  private TestDatabase.Url database;
  private Clock clock = Clock.systemUTC();
  private Function<ScheduledExecutorService, Timers> timers = ScheduledTimers::new;
  /** The timers given by {@link #withTime}, which outlive a stopped server; null with real timers. */
  private ManualTime manualTime;
  private java.util.function.UnaryOperator<String> databaseRoute = url -> url;
  private Server server;
  private Http http;
  /** JDBC asked for on hot threads, over every start of this server; fails the class at its end. */
  private final java.util.Set<String> hotThreadJdbc = new java.util.LinkedHashSet<>();

  /** A server on a fresh database of the shared test MariaDB (or SANGDAM_TEST_DB_URL's server). */
  public TestServer() {
    this.embedded = false;
  }

  private TestServer(Path dataDir) {
    this.embedded = true;
    with("data.dir", dataDir.toString());
  }

  /**
   * A server that starts its own embedded MariaDB under {@code dataDir}, exactly as {@code scripts/run}
   * does; for tests of that path and of restarts on the same data. The directory is deleted after the class.
   */
  public static TestServer embedded(Path dataDir) {
    return new TestServer(dataDir);
  }

  /** Overrides one configuration key, as an operator would with SANGDAM_* variables. */
  public TestServer with(String key, String value) {
    settings.put(ConfigLoader.envName(key), value);
    return this;
  }

  /** The URL the server reaches its database by, from the database's own: to put a relay in between. */
  public TestServer withDatabaseRoute(java.util.function.UnaryOperator<String> route) {
    this.databaseRoute = route;
    return this;
  }

  /** The server's clock: a {@link ManualTime} makes times (waits, handle times) exact. Timers stay real. */
  public TestServer withClock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * The server's clock and timers: grace periods, idle timeouts and overflows fall due only when the
   * test advances {@code time}, and their tasks run on the test's thread.
   */
  public TestServer withTime(ManualTime time) {
    this.clock = time;
    this.timers = scheduler -> time;
    this.manualTime = time;
    return this;
  }

  /** A node of a cluster: on {@code shared}, the database its other nodes use (see {@link TestCluster}). */
  TestServer onDatabase(TestDatabase.Url shared) {
    this.database = shared;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!embedded && database == null) {
      database = TestDatabase.create(context);
    }
    start();
  }

  /** Starts (or starts again, after {@link #stop()}) on the same database. */
  public void start() {
    Map<String, String> env = new HashMap<>(settings);
    env.put("SANGDAM_HTTP_HOST", "127.0.0.1");
    env.put("SANGDAM_HTTP_PORT", "0");
    if (!embedded) {
      env.put("SANGDAM_DB_URL", databaseRoute.apply(database.url()));
      env.put("SANGDAM_DB_USER", database.user());
      env.put("SANGDAM_DB_PASSWORD", database.password());
    }
    env.put("SANGDAM_DB_POOLSIZE", "4");
    env.put("SANGDAM_ADMIN_PASSWORD", ADMIN_PASSWORD);
    // PBKDF2 at OWASP's 600,000 iterations takes a core about 0.3 s per password set or checked, and
    // every test signs in and creates users: hundreds of those in a run. Tests of the hashing's own
    // cost (floods, throttling) set the default again with with().
    env.putIfAbsent("SANGDAM_AUTH_PASSWORDITERATIONS", "1000");
    // No test holds more than a few hundred connections: under the default 100,000 every start warned that the
    // process's open-file limit lowers it, a warning in each test's output that tells nothing.
    env.putIfAbsent("SANGDAM_HTTP_MAXCONNECTIONS", "5000");
    // Each server its own data directory, which it locks while it runs; the same one across its restarts.
    env.putIfAbsent("SANGDAM_DATA_DIR", Path.of("target", "test-data", dataDirName).toString());
    // The servers of one database (a cluster's nodes) seal personal fields with the same keys, as an operator's do.
    // So do they chain the access records with the same key.
    if (!embedded) {
      env.putIfAbsent(ConfigLoader.envName("crypto.keyFile"), fieldKeyFile().toString());
      env.putIfAbsent(ConfigLoader.envName("accessLog.keyFile"), sharedFile("access-log-key").toString());
    }
    server = new Server(ConfigLoader.load(null, env), clock, timers);
    server.start();
    http = new Http(URI.create("http://127.0.0.1:" + server.port()));
  }

  public void stop() {
    server.close();
    hotThreadJdbc.addAll(server.hotThreadJdbc());
    if (manualTime != null) {
      manualTime.cancelAll();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    stop();
    if (embedded) {
      Path dataDir = Path.of(settings.get("SANGDAM_DATA_DIR"));
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    // The exception the guard threw may have been swallowed on the way (a completion nobody joins).
    if (!hotThreadJdbc.isEmpty()) {
      throw new AssertionError(hotThreadJdbc.size() + " database call(s) on hot threads:\n"
          + String.join("\n\n", hotThreadJdbc));
    }
  }

  /**
   * The key file of personal fields: the one configured with {@link #with}, else the data directory's for a server
   * with its embedded database, else the one every server on this server's database shares.
   */
  public Path fieldKeyFile() {
    String configured = settings.get(ConfigLoader.envName("crypto.keyFile"));
    if (configured != null) {
      return Path.of(configured);
    }
    if (embedded) {
      return Path.of(settings.get("SANGDAM_DATA_DIR")).resolve("field-keys");
    }
    return sharedFile("field-keys");
  }

  /** A file every server on this server's (external) database shares. */
  private Path sharedFile(String name) {
    String url = database.url();
    return Path.of("target", "test-data", name + "-" + url.substring(url.lastIndexOf('/') + 1));
  }

  /**
   * The keys of personal fields this server seals with, for a test's own repositories on its database: what the
   * test writes the server reads, and the other way round.
   */
  public FieldCipher fieldCipher() {
    return new FieldCipher(FieldKeyFile.read(fieldKeyFile()).orElseThrow(), new java.security.SecureRandom());
  }

  /** The key this server chains the access records with, for a test's own services on its database. */
  public io.sangdam.accesslog.AccessChain accessChain() {
    Path file = embedded ? Path.of(settings.get("SANGDAM_DATA_DIR")).resolve("access-log.key")
        : sharedFile("access-log-key");
    return io.sangdam.accesslog.AccessChain.fromKeyFile(file, false);
  }

  /** This server's search index: under its data directory, where it is by default. */
  public Path searchIndexDir() {
    return Path.of(settings.getOrDefault("SANGDAM_DATA_DIR", Path.of("target", "test-data", dataDirName).toString()))
        .resolve("search-index");
  }

  /** Waits until the start's sealing of personal fields stored before encryption is done. */
  public FieldSealing.Outcome awaitFieldsSealed() {
    return server.fieldsSealed().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
  }

  /** The server's own database, for tests that check invariants in it; empty for an embedded server. */
  public TestDatabase.Url database() {
    return database;
  }

  /**
   * The running server's centers: a test gives one up and takes it back,
   * as a node losing and regaining its lease would.
   */
  public CenterOwnership centers() {
    return server.centers();
  }

  /** The running server's bot library: what a new conversation would be greeted with. */
  public io.sangdam.bot.BotLibrary botLibrary() {
    return server.botLibrary();
  }

  /** The retention job of this node: a test runs it at the time it set. */
  /** Waits until the text search sees every message and erasure stored so far (searches never wait for it). */
  public void awaitSearchIndex() {
    Eventually.eventually("the search index sees every message stored", () -> server.messageIndexer().seesAllStored());
  }

  public io.sangdam.retention.RetentionJob retentionJob() {
    return server.retentionJob();
  }

  public Map<String, String> routeTable() {
    return server.api().routeTable();
  }

  public int port() {
    return server.port();
  }

  public Http http() {
    return http;
  }

  /** A customer socket that skips {@code queue} position pushes; see {@link #customerSeeingPositions()}. */
  public WsClient customer() {
    return customerSeeingPositions().ignoring("queue");
  }

  public WsClient customerSeeingPositions() {
    return WsClient.connect(URI.create("ws://127.0.0.1:" + port() + "/ws/customer"), this::awaitEventsDelivered);
  }

  /** Waits until every conversation event the server published has reached its sessions. */
  public void awaitEventsDelivered() {
    Eventually.eventually("the server's conversation events delivered", () -> server.eventsDelivered());
  }

  public WsClient agent() {
    return WsClient.connect(URI.create("ws://127.0.0.1:" + port() + "/ws/agent"), this::awaitEventsDelivered);
  }

  /**
   * The setup's agent goes ONLINE on {@code agent}, the customer says hello on {@code customer}
   * and starts in the setup's queue, and both are told of the assignment. Returns the conversation id.
   */
  public long assignedChat(Setup s, WsClient agent, WsClient customer) {
    agent.send(Json.of("type", "hello", "token", s.agentToken())).next("welcome");
    agent.send(Json.of("type", "status", "status", "ONLINE")).next("status");
    customer.send(Json.of("type", "hello", "tenant", s.tenant(), "center", s.center())).next("welcome");
    long id = customer.send(Json.of("type", "start", "queue", s.queue())).next("started").path("conversation")
        .path("id").asLong();
    customer.next("assigned");
    agent.next("assigned");
    return id;
  }

  /** A code no other test of this class uses. */
  public String uniqueCode(String prefix) {
    return prefix + codes.incrementAndGet();
  }

  public String adminToken() {
    return http.login(null, "admin", ADMIN_PASSWORD);
  }

  /** A tenant with one center, one LEAST_BUSY queue and one agent serving it; codes unique to this test. */
  public Setup setUp() {
    String admin = adminToken();
    String tenant = uniqueCode("t");
    http.expect(201, "POST", "/api/tenants", admin, Json.of("code", tenant, "name", "Tenant " + tenant));
    http.expect(201, "POST", "/api/tenants/" + tenant + "/centers", admin, Json.of("code", "seoul", "name", "서울"));
    http.expect(201, "POST", "/api/tenants/" + tenant + "/centers/seoul/queues", admin,
        Json.of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 2));
    http.expect(201, "POST", "/api/tenants/" + tenant + "/users", admin, Json.of("username", "kim", "password",
        "agent-pass-1", "name", "김상담", "role", "AGENT", "center", "seoul", "queues", java.util.List.of("card")));
    String agentToken = http.login(tenant, "kim", "agent-pass-1");
    return new Setup(tenant, "seoul", "card", "kim", agentToken, admin);
  }

  public record Setup(String tenant, String center, String queue, String agentUsername, String agentToken,
      String adminToken) {}
}
