package io.sangdam.bench;

import io.sangdam.Server;
import io.sangdam.config.ConfigLoader;
import io.sangdam.embedded.EmbeddedMariaDb;
import io.sangdam.stats.Statistics;
import io.sangdam.stats.StatisticsStore;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcStatisticsStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The reporting side at contact-center-group scale: 50 tenants of 10 centers each, 1,000,000
 * conversations over a year and 10,000,000 messages, generated straight into the embedded
 * MariaDB (with the roll-ups the server would have kept), then the real server is started on it
 * and timed over HTTP: the HQ dashboard, a year of statistics, and a text search.
 *
 * <p>Run by {@code scripts/bench reporting [dir] [statistics]}; the data stays in {@code dir} (default
 * {@code target/reporting-bench}) so a second run skips the generation. With {@code statistics}, only the statistics
 * figures are measured (over HTTP and in process), without waiting for the search index.
 */
public final class ReportingBench {
  static final int TENANTS = 50;
  static final int CENTERS_PER_TENANT = 10;
  static final int CONVERSATIONS = 1_000_000;
  static final int MESSAGES_PER_CONVERSATION = 10;
  private static final String PASSWORD = "bench-admin-1";
  private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

  private final HttpClient http = HttpClient.newHttpClient();
  private URI base;
  private String token;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/reporting-bench");
    boolean statisticsOnly = args.length > 1 && args[1].equals("statistics");
    int status = 0;
    try {
      new ReportingBench().run(dir, statisticsOnly);
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    // A failed start can leave pool threads behind; the run must end either way.
    System.exit(status);
  }

  private void run(Path dir, boolean statisticsOnly) throws Exception {
    try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dir.resolve("mariadb"))) {
      String url = db.createDatabase("sangdam_bench");
      Server server = new Server(ConfigLoader.load(null, Map.of("SANGDAM_DB_URL", url, "SANGDAM_DB_USER", "root",
          "SANGDAM_HTTP_HOST", "127.0.0.1", "SANGDAM_HTTP_PORT", "0", "SANGDAM_ADMIN_PASSWORD", PASSWORD,
          "SANGDAM_DATA_DIR", dir.toString())));
      server.start();
      try {
        try (Connection c = DriverManager.getConnection(url, "root", "")) {
          DataGenerator generator = new DataGenerator(c);
          if (generator.conversations() < CONVERSATIONS) {
            long started = System.nanoTime();
            generator.generate();
            System.out.printf("generated in %.0f s%n", (System.nanoTime() - started) / 1e9);
          }
          System.out.printf("data: %,d tenants, %,d centers, %,d conversations, %,d messages%n",
              generator.count("tenant"), generator.count("center"), generator.conversations(),
              generator.count("message"));
        }
        base = URI.create("http://127.0.0.1:" + server.port());
        Matcher login = TOKEN.matcher(post("/api/login", "{\"username\":\"admin\",\"password\":\"" + PASSWORD
            + "\"}"));
        if (!login.find()) {
          throw new IllegalStateException("no token in the login answer");
        }
        token = login.group(1);
        if (statisticsOnly) {
          List<String[]> rows = new ArrayList<>();
          measureStatistics(rows);
          print(rows);
        } else {
          awaitSearchIndex(dir.resolve("search-index"));
          measure();
        }
        measureStatisticsInProcess(url);
      } finally {
        server.close();
      }
    }
  }

  private void measure() throws Exception {
    String tenant = "t7";
    List<String[]> rows = new ArrayList<>();
    rows.add(time("dashboard, HQ (50 tenants, 500 centers)", 50, () -> get("/api/dashboard")));
    rows.add(time("dashboard, one center drilled into", 50, () -> get("/api/dashboard?center=" + tenant + "/c3")));
    measureStatistics(rows);
    rows.add(time("search, tenant, text '환불', one year, 50 results", 200, () -> search(tenant, "환불", "")));
    rows.add(time("search, tenant, part of a word '분실', one year", 200, () -> search(tenant, "분실", "")));
    rows.add(time("search, tenant, '해지' in no message", 200, () -> search(tenant, "해지", "")));
    rows.add(time("search, tenant, '분실신고' in no message", 200, () -> search(tenant, "분실신고", "")));
    rows.add(time("search, tenant, text in no message", 200, () -> search(tenant, "nothing-like-this", "")));
    rows.add(time("search, center and month, text '환불'", 200,
        () -> search(tenant, "환불", "&center=c3&from=2026-06-01&to=2026-06-30")));
    print(rows);
  }

  /** A tenant's and a center's year over HTTP. */
  private void measureStatistics(List<String[]> rows) {
    String year = "from=2025-11-25&to=2026-11-24";
    rows.add(time("statistics, tenant, one year by day", 20, () -> get("/api/stats?scope=t7&" + year)));
    rows.add(time("statistics, center, one year by day", 20, () -> get("/api/stats?scope=t7/c3&" + year)));
    rows.add(time("statistics, tenant, one year by hour", 10,
        () -> get("/api/stats?scope=t7&" + year + "&interval=hour")));
  }

  private static void print(List<String[]> rows) {
    System.out.printf("%n%-52s %10s %10s %10s %10s%n", "figure", "p50 ms", "p99 ms", "max ms", "runs");
    for (String[] r : rows) {
      System.out.printf("%-52s %10s %10s %10s %10s%n", (Object[]) r);
    }
  }

  /**
   * The tenant-year report called in this JVM, without HTTP or JSON: its time and the bytes it allocates
   * (ThreadMXBean, the calling thread; JDBC reads on it too), to show a report's cost does not grow with the
   * conversations it counts.
   */
  private static void measureStatisticsInProcess(String url) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ZoneId zone = ZoneId.of("Asia/Seoul");
    LocalDate from = LocalDate.of(2025, 11, 25);
    LocalDate to = LocalDate.of(2026, 11, 24);
    StatisticsStore.Filter tenant = new StatisticsStore.Filter(7, null, null, null, null);
    StatisticsStore.Filter center = new StatisticsStore.Filter(7, 63L, null, null, null);
    try (Database db = new Database(url, "root", "", 2)) {
      Statistics statistics = new Statistics(new JdbcStatisticsStore(db));
      System.out.printf("%n%-52s %10s %10s %10s%n", "statistics in process (no HTTP)", "p50 ms", "max ms", "alloc MB");
      for (Object[] figure : List.of(new Object[] {"tenant, one year by day", tenant, Statistics.Interval.DAY},
          new Object[] {"center, one year by day", center, Statistics.Interval.DAY},
          new Object[] {"tenant, one year by hour", tenant, Statistics.Interval.HOUR})) {
        StatisticsStore.Filter filter = (StatisticsStore.Filter) figure[1];
        Statistics.Interval interval = (Statistics.Interval) figure[2];
        statistics.report(filter, from, to, interval, zone);
        List<Double> ms = new ArrayList<>();
        long allocated = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
          long bytes = threads.getCurrentThreadAllocatedBytes();
          long t = System.nanoTime();
          statistics.report(filter, from, to, interval, zone);
          ms.add((System.nanoTime() - t) / 1e6);
          allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - bytes);
        }
        Collections.sort(ms);
        System.out.printf("%-52s %10.1f %10.1f %10.1f%n", figure[0], ms.get(ms.size() / 2), ms.get(ms.size() - 1),
            allocated / 1e6);
      }
    }
  }

  private String[] time(String name, int runs, Supplier<String> call) {
    call.get();
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      call.get();
      ms.add((System.nanoTime() - t) / 1e6);
    }
    Collections.sort(ms);
    return new String[] {name, String.format("%.1f", ms.get(ms.size() / 2)),
        String.format("%.1f", ms.get((int) Math.ceil(ms.size() * 0.99) - 1)),
        String.format("%.1f", ms.get(ms.size() - 1)), String.valueOf(runs)};
  }

  private String search(String tenant, String text, String filters) {
    return get("/api/tenants/" + tenant + "/conversations?q=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
        + filters + "&limit=50");
  }

  /**
   * Waits until the server's search index has read every message (text search answers 503 until then) and prints
   * how long that took and the index's size: the build rate of a node starting empty, when the index was not there.
   */
  private void awaitSearchIndex(Path indexDir) throws Exception {
    long started = System.nanoTime();
    for (int i = 0; i < 2 * 60 * 60; i++) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/tenants/t1/conversations?q=probe"))
          .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        long bytes;
        try (Stream<Path> files = Files.walk(indexDir)) {
          bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf("search index ready after %.0f s of waiting; %,d MB on disk%n",
            (System.nanoTime() - started) / 1e9, bytes / (1024 * 1024));
        return;
      }
      if (r.statusCode() != 503) {
        throw new IllegalStateException("text search answered " + r.statusCode() + ": " + r.body());
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("the search index did not catch up in two hours");
  }

  private String get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).GET());
  }

  private String post(String path, String body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private String send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Fills the database with set-based SQL over MariaDB's sequence tables: minutes, not hours. */
  static final class DataGenerator {
    private final Connection c;

    DataGenerator(Connection c) {
      this.c = c;
    }

    long conversations() throws SQLException {
      return count("conversation");
    }

    long count(String table) throws SQLException {
      try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
        rs.next();
        return rs.getLong(1);
      }
    }

    void generate() throws SQLException {
      int centers = TENANTS * CENTERS_PER_TENANT;
      int customersPerTenant = 4_000;
      exec("INSERT INTO tenant (id, code, name, created_at) SELECT seq, CONCAT('t', seq), CONCAT('계열사 ', seq), "
          + "NOW(3) FROM seq_1_to_" + TENANTS);
      exec("INSERT INTO center (id, tenant_id, code, name, created_at) SELECT seq, (seq - 1) DIV "
          + CENTERS_PER_TENANT + " + 1, CONCAT('c', (seq - 1) MOD " + CENTERS_PER_TENANT + " + 1), "
          + "CONCAT('센터 ', seq), NOW(3) FROM seq_1_to_" + centers);
      exec("INSERT INTO chat_queue (id, center_id, code, name, policy, created_at) SELECT seq, (seq - 1) DIV 2 + 1, "
          + "IF(seq MOD 2 = 1, 'card', 'loan'), IF(seq MOD 2 = 1, '카드', '대출'), 'LEAST_BUSY', NOW(3) "
          + "FROM seq_1_to_" + centers * 2);
      // Agent ids start at 1001, clear of the HQ admin the server created.
      exec("INSERT INTO app_user (id, tenant_id, center_id, username, display_name, role, password_hash, created_at) "
          + "SELECT 1000 + seq, (seq - 1) DIV 100 + 1, (seq - 1) DIV 10 + 1, CONCAT('agent', seq), "
          + "CONCAT('상담원 ', seq), 'AGENT', 'disabled', NOW(3) FROM seq_1_to_" + centers * 10);
      exec("INSERT INTO customer (id, tenant_id, visitor_hash, name, contact, created_at) SELECT seq, "
          + "(seq - 1) DIV " + customersPerTenant + " + 1, UNHEX(SHA2(seq, 256)), CONCAT('고객', seq), "
          + "CONCAT('010-', LPAD(seq MOD 10000, 4, '0'), '-', LPAD(seq MOD 7919, 4, '0')), NOW(3) "
          + "FROM seq_1_to_" + TENANTS * customersPerTenant);
      // Conversation n: tenant n mod 50, center and queue and agent spread evenly, created every
      // 31.5 s over the year; one in 17 abandoned; waits 0-119 s, handle times 60-659 s; a third rated.
      exec("""
          INSERT INTO conversation (id, tenant_id, center_id, queue_id, customer_id, agent_id, state, priority,
                                    created_at, queued_at, assigned_at, closed_at, close_reason, transfers, csat_score)
          SELECT seq, t, ce, (ce - 1) * 2 + seq MOD 2 + 1, (t - 1) * 4000 + (seq DIV 50) MOD 4000 + 1,
                 IF(abandoned, NULL, 1000 + (ce - 1) * 10 + (seq DIV 500) MOD 10 + 1),
                 IF(abandoned, 'ABANDONED', 'CLOSED'), 0, created, created,
                 IF(abandoned, NULL, created + INTERVAL wait SECOND),
                 created + INTERVAL wait + IF(abandoned, 0, handle) SECOND,
                 IF(abandoned, 'abandoned', 'agent'), IF(seq MOD 23 = 0, 1, 0),
                 IF(abandoned OR seq MOD 3 <> 0, NULL, 1 + seq MOD 5)
          FROM (SELECT seq, seq MOD 50 + 1 AS t, (seq MOD 50) * 10 + (seq DIV 50) MOD 10 + 1 AS ce,
                       seq MOD 17 = 0 AS abandoned, (seq * 7919) MOD 120 AS wait, 60 + (seq * 104729) MOD 600 AS handle,
                       TIMESTAMP('2025-11-25 00:00:00') + INTERVAL seq * 31 SECOND AS created
                FROM seq_1_to_1000000) g
          """);
      exec("""
          INSERT INTO conversation_assignment (conversation_id, agent_id, assigned_at, released_at, how)
          SELECT id, agent_id, assigned_at, closed_at, 'ROUTED' FROM conversation WHERE agent_id IS NOT NULL
          """);
      for (int from = 0; from < CONVERSATIONS; from += 100_000) {
        exec("""
            INSERT INTO message (conversation_id, seq, sender_kind, sender_id, body, created_at)
            SELECT c.id, s.seq, IF(s.seq MOD 2 = 1 OR c.agent_id IS NULL, 'CUSTOMER', 'AGENT'),
                   IF(s.seq MOD 2 = 1 OR c.agent_id IS NULL, c.customer_id, c.agent_id),
                   ELT(1 + (c.id * 7 + s.seq) MOD 8, '안녕하세요, 카드를 분실해서 정지하고 싶어요',
                       '네 고객님, 본인 확인을 위해 성함과 생년월일을 말씀해 주세요', '결제 취소하고 환불 받고 싶습니다',
                       '확인했습니다. 잠시만 기다려 주세요', '대출 금리가 어떻게 되나요?',
                       '한도 조회는 앱에서도 가능합니다', '감사합니다. 좋은 하루 되세요', '배송 조회 부탁드립니다'),
                   c.created_at + INTERVAL s.seq * 10 SECOND
            FROM conversation c JOIN seq_1_to_10 s
            WHERE c.id > %d AND c.id <= %d
            """.formatted(from, from + 100_000));
      }
      exec("""
          INSERT INTO stats_hour (hour_start, tenant_id, center_id, queue_id, agent_id, offered, handled, abandoned,
                                  wait_ms, answered_in_target, handle_ms, first_responses, first_response_ms,
                                  transfers, csat_responses, csat_sum)
          SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:00:00'), tenant_id, center_id, queue_id,
                 COALESCE(agent_id, 0), COUNT(*), SUM(agent_id IS NOT NULL), SUM(state = 'ABANDONED'),
                 SUM(IF(agent_id IS NULL, 0, TIMESTAMPDIFF(SECOND, created_at, assigned_at) * 1000)),
                 SUM(agent_id IS NOT NULL AND TIMESTAMPDIFF(SECOND, created_at, assigned_at) <= 20),
                 SUM(IF(agent_id IS NULL, 0, TIMESTAMPDIFF(SECOND, assigned_at, closed_at) * 1000)),
                 SUM(agent_id IS NOT NULL), SUM(IF(agent_id IS NULL, 0, 20000)), SUM(transfers),
                 SUM(csat_score IS NOT NULL), COALESCE(SUM(csat_score), 0)
          FROM conversation
          GROUP BY 1, tenant_id, center_id, queue_id, COALESCE(agent_id, 0)
          """);
      // The waits are whole seconds under 102.4 s, where WaitHistogram's bucket is the wait in tenths.
      exec("""
          INSERT INTO stats_wait_hour (hour_start, tenant_id, center_id, queue_id, agent_id, channel, bucket, waits)
          SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:00:00'), tenant_id, center_id, queue_id, agent_id, 'web',
                 TIMESTAMPDIFF(SECOND, created_at, assigned_at) * 10, COUNT(*)
          FROM conversation WHERE agent_id IS NOT NULL
          GROUP BY 1, tenant_id, center_id, queue_id, agent_id, 7
          """);
    }

    private void exec(String sql) throws SQLException {
      long started = System.nanoTime();
      try (Statement s = c.createStatement()) {
        int rows = s.executeUpdate(sql);
        System.out.printf("  %,12d rows in %6.1f s: %s%n", rows, (System.nanoTime() - started) / 1e9,
            sql.strip().lines().findFirst().orElse("").substring(0, Math.min(60, sql.strip().length())));
      }
    }
  }
}
