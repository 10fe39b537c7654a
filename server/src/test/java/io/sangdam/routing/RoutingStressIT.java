package io.sangdam.routing;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many threads start, send, leave, pick, transfer, hold, close and change agents' status at
 * random against the real server; afterwards the database must show that no conversation ever
 * had two agents at once, no agent ever carried more than their capacity, the live state matches
 * the assignment history, every transcript is gapless, and (once quiet) nothing waits in a pushed
 * queue while an ONLINE agent of that queue has room.
 */
class RoutingStressIT {
  private static final int THREADS = 6;
  private static final int AGENTS = 8;
  private static final int CUSTOMERS = 36;
  private static final int OPERATIONS_PER_THREAD = 500;
  private static final List<String> QUEUES = List.of("card", "rr", "vip");

  @RegisterExtension
  static final TestServer server = new TestServer()
      .with("limits.wsMessagesPerSecond", "5000").with("limits.wsBurst", "10000");

  /**
   * One simulated person with their socket, touched by one thread only. Like a real client it
   * waits for the answer to each request (matched by rid), keeping track of pushes meanwhile.
   */
  private static final class Actor {
    final WsClient socket;
    final String username;
    final Set<Long> conversations = new HashSet<>();
    final Set<Long> seenWaiting = new HashSet<>();
    private long rids;

    Actor(WsClient socket, String username) {
      this.socket = socket;
      this.username = username;
    }

    void request(com.fasterxml.jackson.databind.node.ObjectNode frame) {
      long rid = ++rids;
      socket.send(frame.put("rid", rid));
      JsonNode m;
      do {
        try {
          m = socket.next();
        } catch (AssertionError e) {
          throw new AssertionError("no answer to " + frame, e);
        }
        absorb(m);
      } while (m.path("rid").asLong(-1) != rid);
    }

    /** Keeps the conversations this person believes are theirs. */
    void absorb(JsonNode m) {
      {
        switch (m.path("type").asText()) {
          case "started" -> conversations.add(m.path("conversation").path("id").asLong());
          case "assigned" -> {
            JsonNode c = m.path("conversation");
            conversations.add(c.isObject() ? c.path("id").asLong() : c.asLong());
          }
          case "closed", "transferred" -> conversations.remove(m.path("conversation").asLong());
          case "waitingAdded" -> seenWaiting.add(m.path("conversation").path("id").asLong());
          case "waitingRemoved" -> seenWaiting.remove(m.path("conversation").asLong());
          default -> { }
        }
      }
    }

    long any(Random random) {
      return conversations.stream().skip(random.nextInt(Math.max(1, conversations.size()))).findFirst().orElse(1L);
    }
  }

  @Test
  void randomizedLoadKeepsEveryRoutingInvariant() throws Exception {
    TestServer.Setup s = server.setUp();
    String base = "/api/tenants/" + s.tenant();
    server.http().expect(201, "POST", base + "/centers/seoul/queues", s.adminToken(),
        of("code", "rr", "name", "RR", "policy", "ROUND_ROBIN", "maxChatsPerAgent", 2));
    server.http().expect(201, "POST", base + "/centers/seoul/queues", s.adminToken(),
        of("code", "vip", "name", "VIP", "policy", "MANUAL", "maxChatsPerAgent", 2));
    Random setup = new Random(42);
    List<Actor> agents = new ArrayList<>();
    Map<String, Integer> capacity = new HashMap<>();
    for (int i = 0; i < AGENTS; i++) {
      String username = "stress" + i;
      List<String> serves = new ArrayList<>(QUEUES.subList(0, 1 + setup.nextInt(QUEUES.size())));
      java.util.Collections.rotate(serves, setup.nextInt(3));
      int maxChats = 1 + setup.nextInt(3);
      capacity.put(username, maxChats);
      server.http().expect(201, "POST", base + "/users", s.adminToken(), of("username", username, "password",
          "stress-pass-1", "name", username, "role", "AGENT", "center", "seoul", "queues", serves, "maxChats",
          maxChats));
      WsClient socket = server.agent();
      socket.send(of("type", "hello", "token", server.http().login(s.tenant(), username, "stress-pass-1")))
          .next("welcome");
      socket.send(of("type", "status", "status", "ONLINE")).next("status");
      agents.add(new Actor(socket, username));
    }
    List<Actor> customers = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      WsClient socket = server.customer();
      socket.send(of("type", "hello", "tenant", s.tenant(), "center", "seoul")).next("welcome");
      customers.add(new Actor(socket, "customer" + i));
    }

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      work.add(pool.submit(() -> {
        Random random = new Random(1000 + thread);
        List<Actor> mine = new ArrayList<>();
        for (int i = thread; i < AGENTS + CUSTOMERS; i += THREADS) {
          mine.add(i < AGENTS ? agents.get(i) : customers.get(i - AGENTS));
        }
        for (int op = 0; op < OPERATIONS_PER_THREAD; op++) {
          Actor a = mine.get(random.nextInt(mine.size()));
          if (a.username.startsWith("stress")) {
            agentActs(a, random, agents);
          } else {
            customerActs(a, random);
          }
        }
        return null;
      }));
    }
    for (Future<?> f : work) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();

    for (Actor a : agents) {
      a.socket.send(of("type", "status", "status", "ONLINE"));
    }
    TestDatabase.Url db = server.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      awaitSettled(agents, customers, c, capacity);
      checkNoConversationHadTwoAgents(c);
      checkNoAgentWentOverCapacity(c, capacity);
      checkLiveStateMatchesHistory(c);
      checkTranscriptsAreGapless(c);
    }
    agents.forEach(a -> a.socket.close());
    customers.forEach(a -> a.socket.close());
  }

  private static void agentActs(Actor a, Random random, List<Actor> agents) {
    int roll = random.nextInt(100);
    long conversation = a.any(random);
    if (roll < 12) {
      String status = roll < 8 ? "ONLINE" : roll < 11 ? "AWAY" : "OFFLINE";
      a.request(of("type", "status", "status", status));
    } else if (roll < 35) {
      a.request(of("type", "send", "conversation", conversation, "cmid", "a" + random.nextLong(), "text", "답변"));
    } else if (roll < 50) {
      a.request(of("type", "close", "conversation", conversation));
    } else if (roll < 65) {
      long waiting = a.seenWaiting.stream().findAny().orElse(conversation);
      a.request(of("type", "pick", "conversation", waiting));
    } else if (roll < 75) {
      a.request(of("type", "transfer", "conversation", conversation, "toQueue", QUEUES.get(random.nextInt(3))));
    } else if (roll < 85) {
      String to = agents.get(random.nextInt(agents.size())).username;
      a.request(of("type", "transfer", "conversation", conversation, "toAgent", to, "note", "부탁드립니다"));
    } else if (roll < 92) {
      a.request(of("type", "hold", "conversation", conversation, "hold", random.nextBoolean()));
    } else {
      a.request(of("type", "waiting"));
    }
  }

  private static void customerActs(Actor a, Random random) {
    int roll = random.nextInt(100);
    if (a.conversations.size() < 2 && roll < 40) {
      a.request(of("type", "start", "queue", QUEUES.get(random.nextInt(3)), "text", "문의합니다"));
    } else if (roll < 90) {
      a.request(of("type", "send", "conversation", a.any(random), "cmid", "c" + random.nextLong(), "text", "네"));
    } else {
      a.request(of("type", "leave", "conversation", a.any(random)));
    }
  }

  /**
   * Waits until the server has worked off the load: every socket silent for a round, and nothing
   * waiting in a pushed queue while an agent of it has room. Each assignment is pushed to an
   * agent, so silence is what ends the wait; the deadline only bounds a failure.
   */
  private static void awaitSettled(List<Actor> agents, List<Actor> customers, Connection c,
      Map<String, Integer> capacity) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      int heard = 0;
      for (Actor a : agents) {
        heard += a.socket.drain().size() + (a.socket.heardWithin(100) ? 1 : 0);
      }
      for (Actor x : customers) {
        heard += x.socket.drain().size();
      }
      if (heard == 0 && waitingWhileAnAgentHasRoom(c, capacity).isEmpty()) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "the server did not settle within 90 s: "
          + waitingWhileAnAgentHasRoom(c, capacity));
    }
  }

  private record Interval(long conversation, long agent, long from, long to) {}

  private static List<Interval> intervals(Connection c) throws SQLException {
    List<Interval> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
        SELECT conversation_id, agent_id, assigned_at, released_at FROM conversation_assignment
        ORDER BY assigned_at, id""")) {
      while (rs.next()) {
        Timestamp released = rs.getTimestamp(4);
        out.add(new Interval(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).getTime(),
            released == null ? Long.MAX_VALUE : released.getTime()));
      }
    }
    assertTrue(out.size() > 50, "the run assigned too little to prove anything: " + out.size());
    return out;
  }

  private static void checkNoConversationHadTwoAgents(Connection c) throws SQLException {
    Map<Long, Interval> last = new HashMap<>();
    for (Interval i : intervals(c)) {
      Interval before = last.put(i.conversation(), i);
      assertTrue(before == null || before.to() <= i.from(),
          "conversation " + i.conversation() + " had two agents at once: " + before + " and " + i);
    }
  }

  private static void checkNoAgentWentOverCapacity(Connection c, Map<String, Integer> capacity) throws SQLException {
    Map<Long, Integer> capacityById = capacityById(c, capacity);
    Map<Long, List<long[]>> events = new HashMap<>();
    for (Interval i : intervals(c)) {
      events.computeIfAbsent(i.agent(), a -> new ArrayList<>()).add(new long[] {i.from(), 1});
      events.computeIfAbsent(i.agent(), a -> new ArrayList<>()).add(new long[] {i.to(), -1});
    }
    events.forEach((agent, list) -> {
      list.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
      int load = 0;
      for (long[] e : list) {
        load += (int) e[1];
        assertTrue(load <= capacityById.get(agent), "agent " + agent + " carried " + load + " at " + e[0]);
      }
    });
  }

  private static Map<Long, Integer> capacityById(Connection c, Map<String, Integer> capacity) throws SQLException {
    Map<Long, Integer> out = new HashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, username FROM app_user WHERE username LIKE 'stress%'")) {
      while (rs.next()) {
        out.put(rs.getLong(1), capacity.get(rs.getString(2)));
      }
    }
    return out;
  }

  private static void checkLiveStateMatchesHistory(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
        SELECT c.id, c.state, c.agent_id,
               (SELECT COUNT(*) FROM conversation_assignment a WHERE a.conversation_id = c.id
                  AND a.released_at IS NULL) AS carried,
               (SELECT MAX(a.agent_id) FROM conversation_assignment a WHERE a.conversation_id = c.id
                  AND a.released_at IS NULL) AS carrier
        FROM conversation c""")) {
      while (rs.next()) {
        String state = rs.getString(2);
        boolean withAgent = state.equals("ASSIGNED") || state.equals("HOLD");
        assertEquals(withAgent ? 1 : 0, rs.getInt(4), "conversation " + rs.getLong(1) + " in " + state);
        if (withAgent) {
          assertEquals(rs.getLong(3), rs.getLong(5), "conversation " + rs.getLong(1) + " carrier");
        }
      }
    }
  }

  private static void checkTranscriptsAreGapless(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT conversation_id, COUNT(*), MIN(seq), MAX(seq) FROM message GROUP BY conversation_id")) {
      while (rs.next()) {
        assertEquals(1, rs.getLong(3), "conversation " + rs.getLong(1));
        assertEquals(rs.getLong(2), rs.getLong(4), "conversation " + rs.getLong(1) + " has a gap");
      }
    }
  }

  /** Conversations waiting in a pushed queue while an agent of that queue has room (all agents are ONLINE now). */
  private static List<String> waitingWhileAnAgentHasRoom(Connection c, Map<String, Integer> capacity)
      throws SQLException {
    Map<Long, Integer> capacityById = capacityById(c, capacity);
    List<String> found = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
        SELECT w.id, q.code, u.id,
               (SELECT COUNT(*) FROM conversation o WHERE o.agent_id = u.id AND o.state IN ('ASSIGNED', 'HOLD'))
        FROM conversation w
        JOIN chat_queue q ON q.id = w.queue_id AND q.policy <> 'MANUAL'
        JOIN user_queue uq ON uq.queue_id = q.id
        JOIN app_user u ON u.id = uq.user_id AND u.username LIKE 'stress%'
        WHERE w.state = 'WAITING'""")) {
      while (rs.next()) {
        if (rs.getInt(4) < capacityById.get(rs.getLong(3))) {
          found.add("conversation " + rs.getLong(1) + " waits in " + rs.getString(2) + " while agent "
              + rs.getLong(3) + " has room");
        }
      }
    }
    return found;
  }
}
