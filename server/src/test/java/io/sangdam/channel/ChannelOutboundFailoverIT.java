package io.sangdam.channel;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.Json;
import io.sangdam.testing.NatsServer;
import io.sangdam.testing.ServerProcess;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node delivering a channel conversation is killed (SIGKILL: no stop, its claim not let go) while its
 * attempt hangs at the partner: the other node takes the conversation once the claim runs out
 * ({@code channels.outboundClaimSeconds}, at its minimum here) and delivers everything, in order, nothing
 * lost. Both nodes are processes of their own on one database and a real nats-server.
 */
@ExtendWith(TestDatabase.class)
class ChannelOutboundFailoverIT {
  private static final String TENANT = "chanfo";

  @TempDir
  Path dir;

  private Map<String, String> node(TestDatabase.Url db, NatsServer nats, String name, String prefers) {
    // Every node of a database seals personal fields with the same keys (crypto.keyFile), and chains the access
    // records with the same key (accessLog.keyFile).
    return Map.ofEntries(Map.entry("db.url", db.url()), Map.entry("db.user", db.user()),
        Map.entry("db.password", db.password()), Map.entry("data.dir", dir.resolve(name).toString()),
        Map.entry("cluster.natsUrl", nats.url()), Map.entry("cluster.nodeName", name),
        Map.entry("auth.passwordIterations", "1000"), Map.entry("webhooks.allowLoopback", "true"),
        Map.entry("channels.outboundClaimSeconds", "30"), Map.entry("cluster.centers", prefers),
        Map.entry("crypto.keyFile", sharedKeyFile().toString()),
        Map.entry("accessLog.keyFile", sharedAccessLogKey().toString()));
  }

  /**
   * The key file of personal fields every node shares, written before the nodes start together: two nodes starting
   * at once on a new database would each make keys, and the second be refused (README, Encryption of personal fields).
   */
  private Path sharedKeyFile() {
    Path file = dir.resolve("field-keys");
    if (io.sangdam.crypto.FieldKeyFile.read(file).isEmpty()) {
      io.sangdam.crypto.FieldKeyFile.write(file, io.sangdam.crypto.FieldKeys.generate(new java.security.SecureRandom()));
    }
    return file;
  }

  /** The access records' key every node shares, made before the nodes start together, for the same reason. */
  private Path sharedAccessLogKey() {
    Path file = dir.resolve("access-log.key");
    io.sangdam.accesslog.AccessChain.fromKeyFile(file, true);
    return file;
  }

  @Test
  void anotherNodeTakesAKilledNodesConversationOnceItsClaimRunsOutAndDeliversInOrder(TestDatabase.Url db)
      throws Exception {
    Files.createDirectories(dir);
    List<String> tried = new CopyOnWriteArrayList<>();
    List<String> accepted = new CopyOnWriteArrayList<>();
    CountDownLatch released = new CountDownLatch(1);
    AtomicBoolean hung = new AtomicBoolean();
    ExecutorService partnerThreads = Executors.newFixedThreadPool(4);
    HttpServer partner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    partner.setExecutor(partnerThreads);
    // The first POST hangs (the partner stalls) until the test lets it go; every other one is taken.
    partner.createContext("/out", x -> {
      try (x) {
        String text = Json.parse(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).path("text")
            .asText();
        tried.add(text);
        if (hung.compareAndSet(false, true)) {
          released.await(2, TimeUnit.MINUTES);
          x.sendResponseHeaders(503, -1);
          return;
        }
        accepted.add(text);
        x.sendResponseHeaders(200, -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    partner.start();
    try (NatsServer nats = NatsServer.start(dir.resolve("nats"));
        ServerProcess a = ServerProcess.start(node(db, nats, "node-a", TENANT + "/seoul"), dir.resolve("a.log"));
        ServerProcess b = ServerProcess.start(node(db, nats, "node-b", ""), dir.resolve("b.log"))) {
      a.awaitReady(Duration.ofMinutes(1));
      b.awaitReady(Duration.ofMinutes(1));
      Http http = a.http();
      String admin = http.login(null, "admin", TestServer.ADMIN_PASSWORD);
      http.expect(201, "POST", "/api/tenants", admin, of("code", TENANT, "name", "Channels"));
      http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers", admin, of("code", "seoul", "name", "서울"));
      http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/seoul/queues", admin,
          of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 5));
      http.expect(201, "POST", "/api/tenants/" + TENANT + "/users", admin, of("username", "kim", "password",
          "agent-pass-1", "name", "김상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
      String secret = http.expect(201, "POST", "/api/tenants/" + TENANT + "/channels", admin, of("code", "app",
          "kind", "CUSTOM", "center", "seoul", "queue", "card", "outboundUrl",
          "http://127.0.0.1:" + partner.getAddress().getPort() + "/out")).path("secret").asText();

      long id;
      try (WsClient agent = a.agent()) {
        agent.send(of("type", "hello", "token", http.login(TENANT, "kim", "agent-pass-1"))).next("welcome");
        agent.send(of("type", "status", "status", "ONLINE")).until("status");
        byte[] bytes = of("user", "u-1", "mid", "m-1", "text", "문의").toString().getBytes(StandardCharsets.UTF_8);
        Http.Response r = http.sendSigned("POST", "/channels/" + TENANT + "/app/inbound", Map.of(
            InboundSignature.HEADER, InboundSignature.header(secret, Instant.now().getEpochSecond(), bytes)), bytes);
        assertEquals(200, r.status(), r.body().toString());
        id = r.body().path("conversation").asLong();
        agent.until("assigned");
        for (String text : List.of("첫째", "둘째", "셋째")) {
          agent.send(of("type", "send", "conversation", id, "cmid", "a-" + text, "text", text));
          agent.until("ack");
        }
      }
      Eventually.eventually("an attempt hangs at the partner", () -> tried.contains("첫째"));
      String holder = claimedBy(db, id);
      (holder.equals("node-a") ? a : b).kill();

      Eventually.eventually("the other node delivers everything once the claim runs out", () -> List.copyOf(accepted),
          l -> l.size() >= 3, Duration.ofSeconds(60));
      assertEquals(List.of("첫째", "둘째", "셋째"), accepted, "each once, in order, nothing lost");
    } finally {
      released.countDown();
      partner.stop(0);
      partnerThreads.shutdownNow();
    }
  }

  /** The node whose claim the conversation's outbox row carries (null when none). */
  private static String claimedBy(TestDatabase.Url db, long conversation) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("SELECT claimed_by FROM channel_outbound WHERE conversation_id = ?")) {
      ps.setLong(1, conversation);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
