package io.sangdam.cluster;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.Server;
import io.sangdam.config.ConfigLoader;
import io.sangdam.testing.Http;
import io.sangdam.testing.ServerProcess;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A second server started on the database a live node serves refuses to start, with exit status 1
 * and a message naming that node, and leaves its conversations alone: the first node's assigned chat
 * keeps working and its waiting chat is still waiting in its queue. A node with the first's
 * configured name (the same node, restarted elsewhere) takes over at once, and the first, finding its
 * lease gone at its next heartbeat, stops; or sooner, at its next batch of messages, which stores
 * nothing. A newer server is refused before it migrates the live node's schema. Servers run in JVMs
 * of their own, for their exit status.
 */
@ExtendWith(TestDatabase.class)
class SecondServerIT {
  private final Path dir = Path.of("target", "second-server-it-" + UUID.randomUUID()).toAbsolutePath();

  private Map<String, String> node(TestDatabase.Url db, String dataDir, String name) {
    Map<String, String> settings = new HashMap<>(Map.of("db.url", db.url(), "db.user", db.user(), "db.password",
        db.password(), "data.dir", dir.resolve(dataDir).toString(), "cluster.leaseSeconds", "60",
        "cluster.heartbeatSeconds", "1"));
    settings.put("cluster.nodeName", name);
    // Every node of a database seals personal fields with the same keys, and chains the access records with one.
    settings.put("crypto.keyFile", dir.resolve("field-keys").toString());
    settings.put("accessLog.keyFile", dir.resolve("access-log.key").toString());
    return settings;
  }

  @Test
  void aSecondServerOnALiveNodesDatabaseRefusesToStartNamingItAndTheFirstKeepsServing(TestDatabase.Url db)
      throws Exception {
    Files.createDirectories(dir);
    try (ServerProcess first = ServerProcess.start(node(db, "first", "seoul-1"), dir.resolve("first.log"))) {
      first.awaitReady(Duration.ofMinutes(2));
      Http http = first.http();
      String admin = http.login(null, "admin", TestServer.ADMIN_PASSWORD);
      http.expect(201, "POST", "/api/tenants", admin, of("code", "lease", "name", "Lease"));
      http.expect(201, "POST", "/api/tenants/lease/centers", admin, of("code", "seoul", "name", "서울"));
      http.expect(201, "POST", "/api/tenants/lease/centers/seoul/queues", admin,
          of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 1));
      http.expect(201, "POST", "/api/tenants/lease/users", admin, of("username", "kim", "password", "agent-pass-1",
          "name", "김상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
      String token = http.login("lease", "kim", "agent-pass-1");
      try (WsClient agent = first.agent(); WsClient assigned = first.customer(); WsClient waiting = first.customer()) {
        agent.send(of("type", "hello", "token", token)).next("welcome");
        agent.send(of("type", "status", "status", "ONLINE")).next("status");
        assigned.send(of("type", "hello", "tenant", "lease", "center", "seoul")).next("welcome");
        long chat = assigned.send(of("type", "start", "queue", "card")).next("started").path("conversation")
            .path("id").asLong();
        assigned.until("assigned");
        agent.until("assigned");
        waiting.send(of("type", "hello", "tenant", "lease", "center", "seoul")).next("welcome");
        long waits = waiting.send(of("type", "start", "queue", "card")).next("started").path("conversation")
            .path("id").asLong();

        try (ServerProcess second = ServerProcess.start(node(db, "second", ""), dir.resolve("second.log"))) {
          assertEquals(1, second.awaitExit(Duration.ofMinutes(2)), "the second server does not start");
          String log = second.log();
          assertTrue(log.contains("this database is in use by node seoul-1 (host "), log);
          assertTrue(log.contains(", port " + first.port() + ", pid " + first.pid() + ", data directory "
              + dir.resolve("first") + ") since "), log);
        }
        try (ServerProcess migrate = ServerProcess.command(List.of("migrate"), node(db, "tools", ""),
            dir.resolve("migrate.log"))) {
          assertEquals(1, migrate.awaitExit(Duration.ofMinutes(2)), "bin/sangdam migrate beside a live node fails");
          assertTrue(migrate.log().contains("this database is in use by node seoul-1 (host "), migrate.log());
        }

        assigned.send(of("type", "send", "conversation", chat, "cmid", "after", "text", "아직 계세요?"));
        long seq = assigned.until("ack").path("seq").asLong();
        com.fasterxml.jackson.databind.JsonNode pushed = agent.until("message");
        assertEquals(seq, pushed.path("seq").asLong(), () -> "the first node's chat keeps working: " + pushed);
        agent.send(of("type", "close", "conversation", chat));
        assertEquals(waits, agent.until("assigned").path("conversation").path("id").asLong(),
            "the waiting chat was still waiting in the first node's queue");
        assertEquals(waits, waiting.until("assigned").path("conversation").asLong());

        try (ServerProcess sameName = ServerProcess.start(node(db, "elsewhere", "seoul-1"),
            dir.resolve("elsewhere.log"))) {
          sameName.awaitReady(Duration.ofMinutes(2));
          first.awaitExit(Duration.ofSeconds(30));
          assertTrue(first.log().contains("another node took over the database's lease"), first.log());
          assertEquals(1001, agent.awaitClose(), "the first node's clients are sent to reconnect");
        }
      }
    }
  }

  /**
   * A server of a newer version (here: this one, on a database at V007 that a live node of an
   * older version serves) is refused before it migrates: the live node's schema stays as it was.
   */
  @Test
  void aNewerServerIsRefusedBeforeItMigratesALiveNodesSchema(TestDatabase.Url db) throws Exception {
    Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration")
        .target("7").load().migrate();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE node_lease SET host = 'web0', port = 8080, pid = 7, data_dir = '/srv/data', "
          + "token = 'older', since = NOW(6), renewed_at = NOW(6), expires_at = NOW(6) + INTERVAL 1 MINUTE");
      Map<String, String> env = new HashMap<>();
      node(db, "newer", "").forEach((key, value) -> env.put(ConfigLoader.envName(key), value));
      env.put("SANGDAM_HTTP_HOST", "127.0.0.1");
      env.put("SANGDAM_HTTP_PORT", "0");
      Server newer = new Server(ConfigLoader.load(null, env));
      try {
        NodeLease.Refused refused = assertThrows(NodeLease.Refused.class, newer::start);
        assertTrue(refused.getMessage().contains("this database is in use by node web0 (host web0, port 8080, pid 7"),
            refused.getMessage());
      } finally {
        newer.close();
      }
      try (ResultSet rs = s.executeQuery("SELECT MAX(CAST(version AS UNSIGNED)) FROM flyway_schema_history")) {
        rs.next();
        assertEquals(7, rs.getInt(1), "not migrated under the live node");
      }
    }
  }

  /**
   * A node whose lease was taken over while it still runs (here: its heartbeat is too slow to notice)
   * stores nothing more: its next message batch finds another token in the lease row, rolls back,
   * answers the sender {@code unavailable}, and the node stops without flushing.
   */
  @Test
  void aNodeWhoseLeaseWasTakenOverStoresNothingMoreAndStopsAtItsNextBatch(TestDatabase.Url db) throws Exception {
    Files.createDirectories(dir);
    Map<String, String> slow = node(db, "slow", "seoul-1");
    slow.put("cluster.leaseSeconds", "600");
    slow.put("cluster.heartbeatSeconds", "500");
    try (ServerProcess first = ServerProcess.start(slow, dir.resolve("slow.log"))) {
      first.awaitReady(Duration.ofMinutes(2));
      Http http = first.http();
      String admin = http.login(null, "admin", TestServer.ADMIN_PASSWORD);
      http.expect(201, "POST", "/api/tenants", admin, of("code", "fence", "name", "Fence"));
      http.expect(201, "POST", "/api/tenants/fence/centers", admin, of("code", "seoul", "name", "서울"));
      http.expect(201, "POST", "/api/tenants/fence/centers/seoul/queues", admin,
          of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 1));
      http.expect(201, "POST", "/api/tenants/fence/users", admin, of("username", "kim", "password", "agent-pass-1",
          "name", "김상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
      String token = http.login("fence", "kim", "agent-pass-1");
      try (WsClient agent = first.agent(); WsClient customer = first.customer()) {
        agent.send(of("type", "hello", "token", token)).next("welcome");
        agent.send(of("type", "status", "status", "ONLINE")).next("status");
        customer.send(of("type", "hello", "tenant", "fence", "center", "seoul")).next("welcome");
        long chat = customer.send(of("type", "start", "queue", "card")).next("started").path("conversation")
            .path("id").asLong();
        customer.until("assigned");
        customer.send(of("type", "send", "conversation", chat, "cmid", "before", "text", "먼저"));
        customer.until("ack");

        try (ServerProcess sameName = ServerProcess.start(node(db, "elsewhere", "seoul-1"),
            dir.resolve("elsewhere-fence.log"))) {
          sameName.awaitReady(Duration.ofMinutes(2));
          customer.send(of("type", "send", "conversation", chat, "cmid", "after", "text", "나중에"));
          com.fasterxml.jackson.databind.JsonNode answer = customer.until("error");
          assertEquals("unavailable", answer.path("code").asText(), answer::toString);
          first.awaitExit(Duration.ofSeconds(30));
          assertTrue(first.log().contains("another node took the database over: 1 messages not written"), first.log());
        }
      }
    }
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT cmid FROM message WHERE cmid IN ('before', 'after')")) {
      assertTrue(rs.next());
      assertEquals("before", rs.getString(1));
      assertFalse(rs.next(), "nothing of the old node stored after the takeover");
    }
  }
}
