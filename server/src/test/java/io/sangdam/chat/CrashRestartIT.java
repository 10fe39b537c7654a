package io.sangdam.chat;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.Http;
import io.sangdam.testing.ServerProcess;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the server's JVM alone (what the kernel's OOM killer does) while customer and agent pairs
 * exchange messages, then a start on the same data: the embedded MariaDB the dead JVM started does
 * not outlive it, the next start succeeds at once on the same data directory (the dead node's lease is
 * its own), every acknowledged message is there exactly once, and every client resumes from the last
 * message it saw without a gap or a duplicate. The server runs in a JVM of its own, so it can be killed.
 * Its data lives under target/, not the system temp directory (see DESIGN.md).
 */
class CrashRestartIT {
  private static final int PAIRS = 6;
  /** Each client sends at most this many messages: the load is bounded even if the kill comes late. */
  private static final int MAX_SENDS = 1500;

  private final Path dir = Path.of("target", "crash-restart-it-" + UUID.randomUUID()).toAbsolutePath();

  private final Map<String, String> settings = Map.of("data.dir", dir.resolve("data").toString(),
      "limits.wsMessagesPerSecond", "10000", "limits.wsBurst", "10000",
      "cluster.leaseSeconds", "60", "cluster.heartbeatSeconds", "1");

  /** One side of a conversation: what it was acknowledged and shown before the crash. */
  private static final class Side {
    final String prefix;
    final WsClient socket;
    final Map<Long, String> acked = new TreeMap<>();
    final Map<Long, String> seen = new TreeMap<>();

    Side(String prefix, WsClient socket) {
      this.prefix = prefix;
      this.socket = socket;
    }

    void record(JsonNode m) {
      switch (m.path("type").asText()) {
        case "ack" -> {
          String text = prefix + " " + m.path("cmid").asText().substring(1);
          acked.put(m.path("seq").asLong(), text);
          seen.put(m.path("seq").asLong(), text);
        }
        case "message" -> seen.put(m.path("seq").asLong(), m.path("text").asText());
        default -> { }
      }
    }
  }

  @Test
  void killMinusNineUnderLoadLosesNothingAcknowledgedAndTheNextStartSucceedsOnTheSameData() throws Exception {
    Files.createDirectories(dir);
    String tenant = "crash";
    Map<Long, Side> customers = new HashMap<>();
    Map<Long, Side> agents = new HashMap<>();
    Map<Long, String> visitors = new HashMap<>();
    List<String> agentTokens = new ArrayList<>();
    Map<Long, String> agentOf = new HashMap<>();
    long mariadbd;
    try (ServerProcess first = ServerProcess.start(settings, dir.resolve("first.log"))) {
      first.awaitReady(Duration.ofMinutes(3));
      Http http = first.http();
      String admin = http.login(null, "admin", TestServer.ADMIN_PASSWORD);
      http.expect(201, "POST", "/api/tenants", admin, of("code", tenant, "name", "Crash"));
      http.expect(201, "POST", "/api/tenants/" + tenant + "/centers", admin, of("code", "seoul", "name", "서울"));
      http.expect(201, "POST", "/api/tenants/" + tenant + "/centers/seoul/queues", admin,
          of("code", "card", "name", "카드", "policy", "LEAST_BUSY", "maxChatsPerAgent", 1));
      for (int i = 0; i < PAIRS; i++) {
        http.expect(201, "POST", "/api/tenants/" + tenant + "/users", admin, of("username", "agent" + i, "password",
            "agent-pass-1", "name", "상담사" + i, "role", "AGENT", "center", "seoul", "queues", List.of("card")));
        agentTokens.add(http.login(tenant, "agent" + i, "agent-pass-1"));
      }
      List<WsClient> agentSockets = new ArrayList<>();
      for (String token : agentTokens) {
        WsClient agent = first.agent();
        agent.send(of("type", "hello", "token", token)).next("welcome");
        agent.send(of("type", "status", "status", "ONLINE")).next("status");
        agentSockets.add(agent);
      }
      for (int i = 0; i < PAIRS; i++) {
        WsClient customer = first.customer();
        String visitor = customer.send(of("type", "hello", "tenant", tenant, "center", "seoul")).next("welcome")
            .path("visitor").asText();
        long id = customer.send(of("type", "start", "queue", "card")).next("started").path("conversation").path("id")
            .asLong();
        customer.until("assigned");
        customers.put(id, new Side("customer", customer));
        visitors.put(id, visitor);
      }
      for (int i = 0; i < PAIRS; i++) {
        long id = agentSockets.get(i).until("assigned").path("conversation").path("id").asLong();
        agents.put(id, new Side("agent", agentSockets.get(i)));
        agentOf.put(id, agentTokens.get(i));
      }
      mariadbd = Long.parseLong(Files.readString(dir.resolve("data/mariadb/mariadbd.pid")).trim());

      List<Thread> senders = new ArrayList<>();
      for (long id : customers.keySet()) {
        senders.add(sender(customers.get(id).socket, id, "c"));
        senders.add(sender(agents.get(id).socket, id, "a"));
      }
      senders.forEach(Thread::start);
      // The kill comes while every pair is still sending: once the first customer has 100 acks.
      Side watched = customers.values().iterator().next();
      while (watched.acked.size() < 100) {
        watched.record(watched.socket.next());
      }
      first.kill();
      for (Thread t : senders) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
    }
    Optional<ProcessHandle> orphan = ProcessHandle.of(mariadbd);
    if (orphan.isPresent()) {
      orphan.get().onExit().get(20, TimeUnit.SECONDS);
    }
    long acknowledged = 0;
    for (long id : customers.keySet()) {
      for (Side side : List.of(customers.get(id), agents.get(id))) {
        side.socket.drain().forEach(side::record);
        side.socket.close();
        acknowledged += side.acked.size();
      }
    }
    assertTrue(acknowledged >= 100, "messages were acknowledged before the kill: " + acknowledged);

    long restarting = System.nanoTime();
    try (ServerProcess second = ServerProcess.start(settings, dir.resolve("second.log"))) {
      second.awaitReady(Duration.ofMinutes(1));
      System.out.printf("kill -9 under load: %d acknowledged; restart ready after %d ms%n", acknowledged,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarting));
      for (long id : customers.keySet()) {
        try (WsClient customer = second.customer(); WsClient agent = second.agent()) {
          JsonNode welcome = customer.send(of("type", "hello", "tenant", tenant, "center", "seoul", "visitor",
              visitors.get(id))).next("welcome");
          assertEquals(id, welcome.path("open").get(0).path("id").asLong());
          long lastSeq = welcome.path("open").get(0).path("lastSeq").asLong();
          agent.send(of("type", "hello", "token", agentOf.get(id))).next("welcome");

          Map<Long, String> stored = resumesWithoutGap(customer, id, customers.get(id), lastSeq);
          assertEquals(stored, resumesWithoutGap(agent, id, agents.get(id), lastSeq), "both sides see one transcript");
          for (Side side : List.of(customers.get(id), agents.get(id))) {
            side.acked.forEach((seq, text) -> assertEquals(text, stored.get(seq), "acknowledged " + seq + " of " + id));
            side.acked.values().forEach(text -> assertEquals(1,
                stored.values().stream().filter(text::equals).count(), text + " is stored exactly once"));
          }
        }
      }
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Where setpriv is missing, mariadbd does outlive a killed JVM; the next start finds it through its
   * pid file, checks it is a mariadbd on this data directory, stops it and starts on the same data.
   */
  @Test
  void aLeftoverEmbeddedMariaDbIsStoppedByTheNextStart() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("path-without-setpriv"));
    for (String part : System.getenv("PATH").split(java.io.File.pathSeparator)) {
      Path folder = Path.of(part);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      try (var programs = Files.list(folder)) {
        for (Path program : (Iterable<Path>) programs::iterator) {
          Path link = bin.resolve(program.getFileName().toString());
          if (!program.getFileName().toString().equals("setpriv") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, program);
          }
        }
      }
    }
    long mariadbd;
    try (ServerProcess first = ServerProcess.start(settings, Map.of("PATH", bin.toString()), dir.resolve("first.log"))) {
      first.awaitReady(Duration.ofMinutes(3));
      assertTrue(first.log().contains("setpriv (util-linux) not found"), first.log());
      String admin = first.http().login(null, "admin", TestServer.ADMIN_PASSWORD);
      first.http().expect(201, "POST", "/api/tenants", admin, of("code", "kept", "name", "남은 계열사"));
      mariadbd = Long.parseLong(Files.readString(dir.resolve("data/mariadb/mariadbd.pid")).trim());
      first.kill();
    }
    assertTrue(ProcessHandle.of(mariadbd).map(ProcessHandle::isAlive).orElse(false),
        "without setpriv the embedded MariaDB outlives the killed JVM");
    try (ServerProcess second = ServerProcess.start(settings, dir.resolve("second.log"))) {
      second.awaitReady(Duration.ofMinutes(1));
      assertTrue(second.log().contains("stopping the embedded MariaDB (pid " + mariadbd + ") left running"),
          second.log());
      assertFalse(ProcessHandle.of(mariadbd).map(ProcessHandle::isAlive).orElse(false), "the leftover is gone");
      String admin = second.http().login(null, "admin", TestServer.ADMIN_PASSWORD);
      second.http().expect(200, "GET", "/api/tenants/kept", admin, null);
    } finally {
      deleteTree(dir);
    }
  }

  private static Thread sender(WsClient socket, long conversation, String cmidPrefix) {
    return new Thread(() -> {
      for (int k = 0; k < MAX_SENDS; k++) {
        if (!socket.trySend(of("type", "send", "conversation", conversation, "cmid", cmidPrefix + k, "text",
            (cmidPrefix.equals("c") ? "customer " : "agent ") + k))) {
          return;
        }
      }
    }, "sender-" + conversation + cmidPrefix);
  }

  /**
   * The client resumes after the last message it saw and gets exactly the rest, in order; then the
   * whole transcript (afterSeq 0) is 1..lastSeq without a gap, and agrees with all it saw before.
   */
  private static Map<Long, String> resumesWithoutGap(WsClient socket, long id, Side before, long lastSeq) {
    long lastSeen = before.seen.isEmpty() ? 0 : ((TreeMap<Long, String>) before.seen).lastKey();
    List<Long> rest = new ArrayList<>(replay(socket, id, lastSeen).keySet());
    List<Long> expected = new ArrayList<>();
    for (long seq = lastSeen + 1; seq <= lastSeq; seq++) {
      expected.add(seq);
    }
    assertEquals(expected, rest, "resumed after " + lastSeen);
    Map<Long, String> all = replay(socket, id, 0);
    assertEquals(lastSeq, all.size(), "seq 1.." + lastSeq + " once each");
    before.seen.forEach((seq, text) -> assertEquals(text, all.get(seq), "seen before the crash: " + seq));
    return all;
  }

  /** The messages a resume replays, in the order they came; a repeated seq fails. */
  private static Map<Long, String> replay(WsClient socket, long id, long afterSeq) {
    socket.send(of("type", "resume", "conversation", id, "afterSeq", afterSeq));
    Map<Long, String> messages = new java.util.LinkedHashMap<>();
    for (JsonNode m = socket.next(); !m.path("type").asText().equals("resumed"); m = socket.next()) {
      if (m.path("type").asText().equals("message") && m.path("conversation").asLong() == id) {
        long seq = m.path("seq").asLong();
        assertEquals(null, messages.put(seq, m.path("text").asText()), "seq " + seq + " replayed twice");
      }
    }
    return messages;
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
