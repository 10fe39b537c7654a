package io.sangdam.cluster;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.Http;
import io.sangdam.testing.NatsServer;
import io.sangdam.testing.ServerProcess;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.Transcripts;
import io.sangdam.testing.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node owning a center is killed (SIGKILL, no goodbye) while both sides write: the other node
 * takes the center within its lease; every acknowledged message is stored exactly once with a gapless
 * seq; the waiting customers keep their order; the customer whose node died reconnects to the
 * survivor and resumes without a gap. Both nodes are processes of their own on one database and one
 * real nats-server.
 */
@ExtendWith(TestDatabase.class)
class FailoverIT {
  private static final String TENANT = "fo";

  @TempDir
  Path dir;

  private Map<String, String> node(TestDatabase.Url db, NatsServer nats, String name, String prefers) {
    Map<String, String> settings = new HashMap<>(Map.of("db.url", db.url(), "db.user", db.user(), "db.password",
        db.password(), "data.dir", dir.resolve(name).toString(), "cluster.natsUrl", nats.url(), "cluster.nodeName",
        name, "auth.passwordIterations", "1000", "cluster.centerLeaseSeconds", "3",
        "cluster.centerHeartbeatMillis", "500"));
    settings.put("cluster.centers", prefers);
    // Every node of a database seals personal fields with the same keys, and chains the access records with one.
    settings.put("crypto.keyFile", sharedKeyFile().toString());
    settings.put("accessLog.keyFile", sharedAccessLogKey().toString());
    return settings;
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

  private static String ownerOf(Http http, String admin, String center) {
    JsonNode view = http.expect(200, "GET", "/api/cluster", admin, null);
    for (JsonNode n : view.path("nodes")) {
      for (JsonNode c : n.path("centers")) {
        if (c.asText().equals(center)) {
          return n.path("name").asText();
        }
      }
    }
    return "";
  }

  /** Sends until acknowledged, again with the same cmid while the center changes hands ({@code unavailable}). */
  private static long sendAcknowledged(WsClient socket, long conversation, String cmid, String text) {
    for (int attempt = 0; attempt < 200; attempt++) {
      socket.send(of("type", "send", "conversation", conversation, "cmid", cmid, "text", text));
      // An owner that dies while carrying the send out answers nothing: the forwarding gives up after 5 s.
      JsonNode answer = socket.next(Duration.ofSeconds(30));
      while (!answer.path("type").asText().equals("ack") && !answer.path("type").asText().equals("error")) {
        answer = socket.next(Duration.ofSeconds(30));
      }
      if (answer.path("type").asText().equals("ack")) {
        return answer.path("seq").asLong();
      }
      assertEquals("unavailable", answer.path("code").asText(), answer.toString());
      sleep(100);
    }
    throw new AssertionError(cmid + " never acknowledged");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void anotherNodeTakesADeadOwnersCenterAndNothingAcknowledgedIsLostOrDoubled(TestDatabase.Url db) throws Exception {
    Files.createDirectories(dir);
    try (NatsServer nats = NatsServer.start(dir.resolve("nats"));
        ServerProcess survivor = ServerProcess.start(node(db, nats, "node-a", ""), dir.resolve("a.log"));
        ServerProcess owner = ServerProcess.start(node(db, nats, "node-b", TENANT + "/seoul"),
            dir.resolve("b.log"))) {
      survivor.awaitReady(Duration.ofMinutes(1));
      owner.awaitReady(Duration.ofMinutes(1));
      Http http = survivor.http();
      String admin = http.login(null, "admin", io.sangdam.testing.TestServer.ADMIN_PASSWORD);
      http.expect(201, "POST", "/api/tenants", admin, of("code", TENANT, "name", "Failover"));
      http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers", admin, of("code", "seoul", "name", "서울"));
      http.expect(201, "POST", "/api/tenants/" + TENANT + "/centers/seoul/queues", admin,
          of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 1));
      http.expect(201, "POST", "/api/tenants/" + TENANT + "/users", admin, of("username", "kim", "password",
          "agent-pass-1", "name", "김상담", "role", "AGENT", "center", "seoul", "queues", List.of("card")));
      Eventually.eventually("node-b, which prefers it, owns the center",
          () -> ownerOf(http, admin, TENANT + "/seoul").equals("node-b"));

      try (WsClient agent = survivor.agent(); WsClient first = owner.customer(); WsClient second = survivor.customer();
          WsClient third = survivor.customer()) {
        agent.send(of("type", "hello", "token", http.login(TENANT, "kim", "agent-pass-1"))).next("welcome");
        agent.send(of("type", "status", "status", "ONLINE")).next("status");
        String visitor = first.send(of("type", "hello", "tenant", TENANT, "center", "seoul")).next("welcome")
            .path("visitor").asText();
        long chat = first.send(of("type", "start", "queue", "card")).next("started").path("conversation")
            .path("id").asLong();
        first.until("assigned");
        agent.until("assigned");
        second.send(of("type", "hello", "tenant", TENANT, "center", "seoul")).next("welcome");
        long secondId = second.send(of("type", "start", "queue", "card")).next("started").path("conversation")
            .path("id").asLong();
        third.send(of("type", "hello", "tenant", TENANT, "center", "seoul")).next("welcome");
        long thirdId = third.send(of("type", "start", "queue", "card")).next("started").path("conversation")
            .path("id").asLong();

        Map<String, Long> acknowledged = new HashMap<>();
        TreeMap<Long, String> seenByCustomer = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
          acknowledged.put("c" + i, sendAcknowledged(first, chat, "c" + i, "고객 " + i));
          acknowledged.put("a" + i, sendAcknowledged(agent, chat, "a" + i, "상담사 " + i));
        }
        first.drain().stream().filter(m -> m.path("type").asText().equals("message"))
            .forEach(m -> seenByCustomer.put(m.path("seq").asLong(), m.path("text").asText()));

        long killed = System.nanoTime();
        owner.kill();
        // The agent keeps writing through the takeover: refused as unavailable, then acknowledged.
        for (int i = 10; i < 20; i++) {
          acknowledged.put("a" + i, sendAcknowledged(agent, chat, "a" + i, "상담사 " + i));
        }
        Eventually.eventually("node-a owns the center", () -> ownerOf(http, admin, TENANT + "/seoul").equals("node-a"));
        System.out.printf("failover: center owned by the survivor %d ms after the kill%n",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));

        try (WsClient back = survivor.customer()) {
          JsonNode welcome = back.send(of("type", "hello", "tenant", TENANT, "center", "seoul", "visitor", visitor))
              .next("welcome");
          assertEquals(chat, welcome.path("open").get(0).path("id").asLong(), "the customer finds the chat open");
          long lastSeen = seenByCustomer.isEmpty() ? 0 : seenByCustomer.lastKey();
          back.send(of("type", "resume", "conversation", chat, "afterSeq", lastSeen));
          List<Long> replayed = new ArrayList<>();
          for (JsonNode m = back.next(); !m.path("type").asText().equals("resumed"); m = back.next()) {
            if (m.path("type").asText().equals("message")) {
              replayed.add(m.path("seq").asLong());
            }
          }
          long lastSeq = acknowledged.values().stream().mapToLong(Long::longValue).max().orElseThrow();
          List<Long> expected = new ArrayList<>();
          for (long seq = lastSeen + 1; seq <= lastSeq; seq++) {
            expected.add(seq);
          }
          assertEquals(expected, replayed, "resumed on the survivor after " + lastSeen + " without a gap");
          acknowledged.put("c-after", sendAcknowledged(back, chat, "c-after", "다시 연결됐어요"));
        }

        agent.send(of("type", "close", "conversation", chat));
        assertEquals(secondId, agent.until("assigned").path("conversation").path("id").asLong(),
            "the first in line goes first after the takeover");
        agent.send(of("type", "close", "conversation", secondId));
        assertEquals(thirdId, agent.until("assigned").path("conversation").path("id").asLong());
        assertEquals(thirdId, third.until("assigned").path("conversation").asLong());

        Transcripts.assertStoredOnceGapless(db, chat, acknowledged);
      }
    }
  }
}
