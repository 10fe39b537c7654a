package io.sangdam.cluster;

import static io.sangdam.testing.Json.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.testing.Eventually;
import io.sangdam.testing.TestCluster;
import io.sangdam.testing.TestDatabase;
import io.sangdam.testing.TestServer;
import io.sangdam.testing.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Races across three nodes: 30 agents and 150 customers, each connected to a node drawn at random,
 * connect, go ONLINE and AWAY, disconnect and come back on another node (resuming), start, send,
 * leave, pick (a MANUAL queue too), hold, transfer to an agent or to a queue of another center, and
 * close, on a seeded schedule bounded in time ({@code -Dsangdam.races.seconds}, 75 by default) and in
 * count. Grace periods are short, so agents and customers who stay away lose their conversations
 * to requeues and abandonment in the middle of it all. Afterwards the database must show that no
 * conversation ever had two agents at once, no agent ever carried more than their capacity, every
 * started conversation is there in a state its assignment history agrees with, every transcript is
 * gapless and every acknowledged message is stored once where its ack said; and, with every agent
 * ONLINE, nothing waits in a pushed queue while an agent of it has room, and the agents can work off
 * every conversation (each waiting one gets assigned). Runs alone (server/pom.xml): three nodes under
 * this load keep both cores busy for minutes.
 */
@Tag("alone")
class ClusterRacesIT {
  private static final int AGENTS_PER_CENTER = 10;
  private static final int CUSTOMERS_PER_CENTER = 50;
  private static final int THREADS = 6;
  private static final int MAX_OPERATIONS_PER_THREAD = 50_000;
  private static final long SEED = Long.getLong("sangdam.races.seed", 15);
  private static final long ACTIVITY_SECONDS = Long.getLong("sangdam.races.seconds", 75);
  /** A loaded node may take a while to answer, a forwarded call up to 5 s before it gives up. */
  private static final Duration ANSWER = Duration.ofSeconds(30);
  /** Queues by center; the first center has a MANUAL queue. Every agent's capacity is their own maxChats. */
  private static final Map<String, List<String>> QUEUES = Map.of(
      "seoul", List.of("card", "vip"), "busan", List.of("loan", "card"), "daegu", List.of("card"));
  private static final Map<String, String> POLICIES = Map.of("seoul/card", "LEAST_BUSY", "seoul/vip", "MANUAL",
      "busan/loan", "ROUND_ROBIN", "busan/card", "LEAST_BUSY", "daegu/card", "LEAST_BUSY");
  private static final List<String> CENTERS = List.of("seoul", "busan", "daegu");
  private static final Set<String> EXPECTED_ERRORS = Set.of("not_found", "conversation_closed", "already_taken",
      "at_capacity", "agent_unavailable", "unavailable");

  @RegisterExtension
  static final TestCluster cluster = new TestCluster(3)
      .with("limits.wsMessagesPerSecond", "5000").with("limits.wsBurst", "10000")
      .with("routing.agentGraceSeconds", "3").with("chat.customerGraceSeconds", "4");

  private final Map<String, Long> errors = new ConcurrentHashMap<>();
  /** cmid (unique over the run) to "conversation/seq", as acknowledged. */
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final Set<Long> started = ConcurrentHashMap.newKeySet();
  private final LongAdder operations = new LongAdder();
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder resumesChecked = new LongAdder();
  private final LongAdder unanswered = new LongAdder();
  private String tenant;

  /**
   * One simulated person, touched by one thread only. Like a real client it waits for the answer to
   * each request (matched by rid), keeping track of what is pushed meanwhile.
   */
  private final class Actor {
    final String name;
    final String center;
    final boolean agent;
    /** An agent's sign-in token, or a customer's visitor token once welcomed. */
    String credential;
    WsClient socket;
    final Set<Long> conversations = new HashSet<>();
    final Set<Long> seenWaiting = new HashSet<>();
    /** A customer's seqs seen per conversation: acks, pushes and replays. */
    final Map<Long, TreeSet<Long>> seen = new HashMap<>();
    private long rids;
    private long cmids;

    Actor(String name, String center, boolean agent, String credential) {
      this.name = name;
      this.center = center;
      this.agent = agent;
      this.credential = credential;
    }

    void connect(Random random) {
      TestServer node = cluster.nodes().get(random.nextInt(cluster.nodes().size()));
      if (agent) {
        socket = node.agent();
        socket.send(of("type", "hello", "token", credential));
        JsonNode welcome = welcome();
        seenWaiting.clear();
        for (JsonNode c : welcome.path("conversations")) {
          conversations.add(c.path("id").asLong());
          resume(c.path("id").asLong(), 0);
        }
      } else {
        socket = node.customer();
        ObjectNode hello = of("type", "hello", "tenant", tenant, "center", center, "name", name);
        if (credential != null) {
          hello.put("visitor", credential);
        }
        socket.send(hello);
        JsonNode welcome = welcome();
        credential = welcome.path("visitor").asText();
        for (JsonNode c : welcome.path("open")) {
          long id = c.path("id").asLong();
          conversations.add(id);
          resume(id, contiguous(id));
        }
      }
    }

    /**
     * The {@code welcome}; what is pushed before it (the session joins before its open conversations
     * are read, so nothing falls between) is taken in, and must not contradict the welcome's list.
     */
    private JsonNode welcome() {
      conversations.clear();
      Set<Long> endedBefore = new HashSet<>();
      JsonNode m = answer();
      while (!m.path("type").asText().equals("welcome")) {
        absorb(m);
        if (m.path("type").asText().equals("closed") || m.path("type").asText().equals("transferred")) {
          endedBefore.add(m.path("conversation").asLong());
        }
        m = answer();
      }
      for (JsonNode c : m.path(agent ? "conversations" : "open")) {
        assertTrue(!endedBefore.contains(c.path("id").asLong()), name + " was told " + c.path("id").asLong()
            + " ended before a welcome that lists it open: " + m);
      }
      return m;
    }

    /**
     * The next message; none within {@link #ANSWER} is {@link Unanswered}: a real client would
     * give up on this connection, connect again and resume, and so does this one.
     */
    private JsonNode answer() {
      try {
        return socket.next(ANSWER);
      } catch (AssertionError e) {
        unanswered.increment();
        throw new Unanswered(name + " got no answer within " + ANSWER, e);
      }
    }

    void disconnect() {
      socket.close();
      socket = null;
      reconnects.increment();
    }

    JsonNode request(ObjectNode frame) {
      long rid = ++rids;
      socket.send(frame.put("rid", rid));
      while (true) {
        JsonNode m = answer();
        absorb(m);
        if (m.path("rid").asLong(-1) == rid) {
          return m;
        }
      }
    }

    void absorbPending() {
      socket.drain().forEach(this::absorb);
    }

    /** Keeps the conversations this person believes are theirs, what they saw, and what was acknowledged. */
    void absorb(JsonNode m) {
      long conversation = m.path("conversation").isObject() ? m.path("conversation").path("id").asLong()
          : m.path("conversation").asLong();
      switch (m.path("type").asText()) {
        case "started", "assigned" -> conversations.add(conversation);
        case "closed", "transferred" -> conversations.remove(conversation);
        case "waitingAdded" -> seenWaiting.add(conversation);
        case "waitingRemoved" -> seenWaiting.remove(conversation);
        case "ack" -> {
          String before = acknowledged.put(m.path("cmid").asText(), conversation + "/" + m.path("seq").asLong());
          assertTrue(before == null || before.equals(conversation + "/" + m.path("seq").asLong()),
              m.path("cmid").asText() + " acknowledged as " + before + " and then " + m);
          saw(conversation, m.path("seq").asLong());
        }
        case "message" -> saw(conversation, m.path("seq").asLong());
        case "error" -> {
          String code = m.path("code").asText();
          errors.merge(code, 1L, Long::sum);
          assertTrue(EXPECTED_ERRORS.contains(code), name + " got " + m);
        }
        default -> { }
      }
      if (m.path("type").asText().equals("started")) {
        started.add(conversation);
      }
    }

    private void saw(long conversation, long seq) {
      if (!agent) {
        seen.computeIfAbsent(conversation, c -> new TreeSet<>()).add(seq);
      }
    }

    /** The highest seq up to which this customer saw every message of the conversation. */
    long contiguous(long conversation) {
      long n = 0;
      for (long seq : seen.getOrDefault(conversation, new TreeSet<>())) {
        if (seq != n + 1) {
          break;
        }
        n = seq;
      }
      return n;
    }

    /**
     * Resumes after {@code afterSeq}: the replay holds every seq up to the {@code resumed}'s lastSeq
     * (live pushes may come between), and a customer then misses none of them.
     */
    void resume(long conversation, long afterSeq) {
      long rid = ++rids;
      socket.send(of("type", "resume", "conversation", conversation, "afterSeq", afterSeq, "rid", rid));
      Set<Long> replayed = new HashSet<>();
      while (true) {
        JsonNode m = answer();
        absorb(m);
        if (m.path("type").asText().equals("message") && m.path("conversation").asLong() == conversation) {
          replayed.add(m.path("seq").asLong());
        }
        if (m.path("rid").asLong(-1) == rid) {
          if (m.path("type").asText().equals("resumed")) {
            for (long seq = afterSeq + 1; seq <= m.path("lastSeq").asLong(); seq++) {
              assertTrue(replayed.contains(seq), name + ": the replay of " + conversation + " after " + afterSeq
                  + " misses " + seq + " of " + m.path("lastSeq").asLong() + ": " + replayed);
            }
            resumesChecked.increment();
          }
          return;
        }
      }
    }

    long any(Random random) {
      return conversations.stream().skip(random.nextInt(Math.max(1, conversations.size()))).findFirst().orElse(1L);
    }

    String cmid() {
      return name + "-" + ++cmids;
    }

    /** Connects (an agent then goes ONLINE), again on another node while a connection goes unanswered. */
    void comeBack(Random random) {
      for (int attempt = 1; ; attempt++) {
        try {
          connect(random);
          if (agent) {
            request(of("type", "status", "status", "ONLINE"));
          }
          return;
        } catch (Unanswered e) {
          disconnect();
          if (attempt == 5) {
            throw e;
          }
        }
      }
    }
  }

  /** A request went unanswered: the connection is given up, as a real client would. */
  private static final class Unanswered extends RuntimeException {
    Unanswered(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Test
  void agentsAndCustomersRacingOverThreeNodesBreakNoRoutingInvariant() throws Exception {
    TestServer a = cluster.node("node-a");
    String admin = a.adminToken();
    tenant = a.uniqueCode("races");
    String base = "/api/tenants/" + tenant;
    a.http().expect(201, "POST", "/api/tenants", admin, of("code", tenant, "name", "Races"));
    for (String center : CENTERS) {
      a.http().expect(201, "POST", base + "/centers", admin, of("code", center, "name", center));
      for (String queue : QUEUES.get(center)) {
        a.http().expect(201, "POST", base + "/centers/" + center + "/queues", admin, of("code", queue, "name", queue,
            "policy", POLICIES.get(center + "/" + queue), "maxChatsPerAgent", 2));
      }
    }
    Random setup = new Random(SEED);
    Map<String, Integer> capacity = new HashMap<>();
    List<Actor> agents = new ArrayList<>();
    for (String center : CENTERS) {
      List<String> queues = QUEUES.get(center);
      for (int i = 0; i < AGENTS_PER_CENTER; i++) {
        String username = center + "-agent" + i;
        // Every queue has members: the i-th agent serves the (i mod n)-th queue, and maybe the others.
        Set<String> serves = new HashSet<>(List.of(queues.get(i % queues.size())));
        queues.stream().filter(q -> setup.nextBoolean()).forEach(serves::add);
        int maxChats = 1 + setup.nextInt(3);
        capacity.put(username, maxChats);
        a.http().expect(201, "POST", base + "/users", admin, of("username", username, "password", "races-pass-1",
            "name", username, "role", "AGENT", "center", center, "queues", List.copyOf(serves), "maxChats", maxChats));
        agents.add(new Actor(username, center, true, a.http().login(tenant, username, "races-pass-1")));
      }
    }
    List<Actor> customers = new ArrayList<>();
    for (String center : CENTERS) {
      for (int i = 0; i < CUSTOMERS_PER_CENTER; i++) {
        customers.add(new Actor(center + "-customer" + i, center, false, null));
      }
    }
    for (String center : CENTERS) {
      Eventually.eventually(center + " owned by a node", () -> ownerOf(a, admin, center), owner -> !owner.isEmpty());
    }
    System.out.printf("races: owners %s%n",
        CENTERS.stream().map(center -> center + "@" + ownerOf(a, admin, center)).toList());
    for (Actor agent : agents) {
      agent.comeBack(setup);
    }
    for (Actor customer : customers) {
      customer.comeBack(setup);
    }

    long activityStarted = System.nanoTime();
    long stopAt = activityStarted + TimeUnit.SECONDS.toNanos(ACTIVITY_SECONDS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      work.add(pool.submit(() -> {
        Random random = new Random(SEED * 1000 + thread);
        List<Actor> mine = new ArrayList<>();
        for (int i = thread; i < agents.size() + customers.size(); i += THREADS) {
          mine.add(i < agents.size() ? agents.get(i) : customers.get(i - agents.size()));
        }
        for (int op = 0; op < MAX_OPERATIONS_PER_THREAD && System.nanoTime() < stopAt; op++) {
          Actor actor = mine.get(random.nextInt(mine.size()));
          try {
            if (actor.socket == null) {
              // Away for a while: back on a node drawn at random after some turns, often past a grace period.
              if (random.nextInt(4) == 0) {
                actor.connect(random);
                if (actor.agent && random.nextInt(4) > 0) {
                  actor.request(of("type", "status", "status", "ONLINE"));
                }
              }
              continue;
            }
            actor.absorbPending();
            if (actor.agent) {
              agentActs(actor, random, agents);
            } else {
              customerActs(actor, random);
            }
          } catch (Unanswered e) {
            actor.disconnect();
          }
          operations.increment();
        }
        return null;
      }));
    }
    for (Future<?> f : work) {
      f.get(ACTIVITY_SECONDS + 300, TimeUnit.SECONDS);
    }
    pool.shutdown();
    System.out.printf("races: %d operations in %d s, %d disconnects, %d resumes checked, %d requests unanswered "
        + "within %s, errors %s, %d open files%n", operations.sum(),
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - activityStarted), reconnects.sum(), resumesChecked.sum(),
        unanswered.sum(), ANSWER, new TreeMap<>(errors), openFiles());

    // Everyone comes back, and every agent is ONLINE: what waits in a pushed queue must find its agent.
    Random after = new Random(SEED + 1);
    for (Actor actor : agents) {
      if (actor.socket != null) {
        actor.disconnect();
      }
      actor.comeBack(after);
    }
    for (Actor actor : customers) {
      if (actor.socket == null) {
        actor.comeBack(after);
      }
    }
    TestDatabase.Url db = a.database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      Eventually.eventually("nothing waits in a pushed queue while an ONLINE agent of it has room",
          () -> unchecked(() -> waitingWhileAnAgentHasRoom(c, capacity)), List::isEmpty, Duration.ofSeconds(90));
      checkLiveStateMatchesHistory(c);
      workOffEverything(c, agents, customers);
      checkEveryStartedConversationEnded(c);
      checkLiveStateMatchesHistory(c);
      List<Interval> intervals = intervals(c);
      checkNoConversationHadTwoAgents(intervals);
      checkNoAgentWentOverCapacity(intervals, capacityById(c, capacity));
      checkTranscriptsAreGapless(c);
      checkEveryAcknowledgedMessageStoredOnce(c);
      System.out.printf("races: %d conversations, %d assignments, %d acknowledged messages%n", started.size(),
          intervals.size(), acknowledged.size());
    }
    agents.forEach(x -> x.socket.close());
    customers.forEach(x -> x.socket.close());
  }

  private void agentActs(Actor a, Random random, List<Actor> agents) {
    int roll = random.nextInt(100);
    long conversation = a.any(random);
    if (roll < 8) {
      a.request(of("type", "status", "status", roll < 5 ? "ONLINE" : roll < 7 ? "AWAY" : "OFFLINE"));
    } else if (roll < 30) {
      a.request(of("type", "send", "conversation", conversation, "cmid", a.cmid(), "text", "답변"));
    } else if (roll < 42) {
      a.request(of("type", "close", "conversation", conversation));
    } else if (roll < 54) {
      long waiting = a.seenWaiting.stream().skip(random.nextInt(Math.max(1, a.seenWaiting.size()))).findFirst()
          .orElse(conversation);
      a.request(of("type", "pick", "conversation", waiting));
    } else if (roll < 62) {
      List<Actor> colleagues = agents.stream().filter(x -> x.center.equals(a.center) && x != a).toList();
      a.request(of("type", "transfer", "conversation", conversation, "toAgent",
          colleagues.get(random.nextInt(colleagues.size())).name, "note", "부탁드립니다"));
    } else if (roll < 70) {
      String center = CENTERS.get(random.nextInt(CENTERS.size()));
      List<String> queues = QUEUES.get(center);
      a.request(of("type", "transfer", "conversation", conversation, "toQueue",
          center + "/" + queues.get(random.nextInt(queues.size()))));
    } else if (roll < 75) {
      a.request(of("type", "hold", "conversation", conversation, "hold", random.nextBoolean()));
    } else if (roll < 80) {
      for (JsonNode w : a.request(of("type", "waiting")).path("conversations")) {
        a.seenWaiting.add(w.path("id").asLong());
      }
    } else if (roll < 83) {
      a.disconnect();
    } else {
      a.request(of("type", "send", "conversation", conversation, "cmid", a.cmid(), "text", "확인했습니다"));
    }
  }

  private void customerActs(Actor a, Random random) {
    int roll = random.nextInt(100);
    if (roll < 25 && a.conversations.size() < 2 || a.conversations.isEmpty() && roll < 60) {
      List<String> queues = QUEUES.get(a.center);
      a.request(of("type", "start", "queue", queues.get(random.nextInt(queues.size())), "text", "문의합니다"));
    } else if (roll < 80) {
      a.request(of("type", "send", "conversation", a.any(random), "cmid", a.cmid(), "text", "네"));
    } else if (roll < 86) {
      a.request(of("type", "leave", "conversation", a.any(random)));
    } else if (roll < 93) {
      a.disconnect();
    } else if (!a.conversations.isEmpty()) {
      long conversation = a.any(random);
      a.resume(conversation, a.contiguous(conversation));
    }
  }

  /**
   * The agents close whatever they are given and pick what waits in the MANUAL queue, until no
   * conversation of the run is open: each one waiting got an agent (or its customer left). The
   * deadline only bounds a failure.
   */
  private void workOffEverything(Connection c, List<Actor> agents, List<Actor> customers) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      for (Actor agent : agents) {
        try {
          agent.absorbPending();
          for (long id : List.copyOf(agent.conversations)) {
            agent.request(of("type", "close", "conversation", id));
          }
          for (JsonNode w : agent.request(of("type", "waiting")).path("conversations")) {
            if (POLICIES.get(w.path("center").asText() + "/" + w.path("queue").asText()).equals("MANUAL")) {
              agent.request(of("type", "pick", "conversation", w.path("id").asLong()));
            }
          }
        } catch (Unanswered e) {
          agent.disconnect();
          agent.comeBack(new Random(SEED + 2));
        }
      }
      customers.forEach(Actor::absorbPending);
      List<String> open = openConversations(c);
      if (open.isEmpty()) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, () -> "still open after the agents worked for 180 s: " + open
          + "; the centers as their owners see them: " + cluster.node("node-a").http().expect(200, "GET",
          "/api/dashboard", cluster.node("node-a").adminToken(), null));
    }
  }

  private List<String> openConversations(Connection c) throws SQLException {
    List<String> open = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
        SELECT c.id, c.state, CONCAT(n.code, '/', q.code), u.username FROM conversation c
        JOIN tenant t ON t.id = c.tenant_id JOIN chat_queue q ON q.id = c.queue_id
        JOIN center n ON n.id = c.center_id LEFT JOIN app_user u ON u.id = c.agent_id
        WHERE t.code = '%s' AND c.state NOT IN ('CLOSED', 'ABANDONED')""".formatted(tenant))) {
      while (rs.next()) {
        open.add(rs.getLong(1) + " " + rs.getString(2) + " in " + rs.getString(3) + " with " + rs.getString(4));
      }
    }
    return open;
  }

  private void checkEveryStartedConversationEnded(Connection c) throws SQLException {
    Map<Long, String> states = new HashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
        SELECT c.id, c.state, c.closed_at FROM conversation c JOIN tenant t ON t.id = c.tenant_id
        WHERE t.code = '%s'""".formatted(tenant))) {
      while (rs.next()) {
        states.put(rs.getLong(1), rs.getString(2) + (rs.getTimestamp(3) == null ? " never closed" : ""));
      }
    }
    assertTrue(started.size() > 100, "the run started too little to prove anything: " + started.size());
    for (long id : started) {
      assertTrue(Set.of("CLOSED", "ABANDONED").contains(states.get(id)), "conversation " + id + ": " + states.get(id));
    }
    assertEquals(started, states.keySet(), "the conversations stored are those started");
  }

  private record Interval(long conversation, long agent, long from, long to) {}

  private List<Interval> intervals(Connection c) throws SQLException {
    List<Interval> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
        SELECT a.conversation_id, a.agent_id, a.assigned_at, a.released_at FROM conversation_assignment a
        JOIN conversation c ON c.id = a.conversation_id JOIN tenant t ON t.id = c.tenant_id
        WHERE t.code = '%s' ORDER BY a.assigned_at, a.id""".formatted(tenant))) {
      while (rs.next()) {
        Timestamp released = rs.getTimestamp(4);
        out.add(new Interval(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).getTime(),
            released == null ? Long.MAX_VALUE : released.getTime()));
      }
    }
    assertTrue(out.size() > 100, "the run assigned too little to prove anything: " + out.size());
    return out;
  }

  private static void checkNoConversationHadTwoAgents(List<Interval> intervals) {
    Map<Long, Interval> last = new HashMap<>();
    for (Interval i : intervals) {
      Interval before = last.put(i.conversation(), i);
      assertTrue(before == null || before.to() <= i.from(),
          "conversation " + i.conversation() + " had two agents at once: " + before + " and " + i);
    }
  }

  private static void checkNoAgentWentOverCapacity(List<Interval> intervals, Map<Long, Integer> capacityById) {
    Map<Long, List<long[]>> changes = new HashMap<>();
    for (Interval i : intervals) {
      changes.computeIfAbsent(i.agent(), x -> new ArrayList<>()).add(new long[] {i.from(), 1});
      changes.computeIfAbsent(i.agent(), x -> new ArrayList<>()).add(new long[] {i.to(), -1});
    }
    changes.forEach((agent, list) -> {
      // At one instant, releases count before assignments: a place freed and taken in the same millisecond.
      list.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
      int load = 0;
      for (long[] change : list) {
        load += (int) change[1];
        assertTrue(load <= capacityById.get(agent), "agent " + agent + " carried " + load + " at " + change[0]
            + " with a capacity of " + capacityById.get(agent));
      }
    });
  }

  private Map<Long, Integer> capacityById(Connection c, Map<String, Integer> capacity) throws SQLException {
    Map<Long, Integer> out = new HashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
        SELECT u.id, u.username FROM app_user u JOIN tenant t ON t.id = u.tenant_id
        WHERE t.code = '%s' AND u.role = 'AGENT'""".formatted(tenant))) {
      while (rs.next()) {
        out.put(rs.getLong(1), capacity.get(rs.getString(2)));
      }
    }
    return out;
  }

  /** Open with an agent exactly when one assignment row is open, and that row is the conversation's agent's. */
  private void checkLiveStateMatchesHistory(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
        SELECT c.id, c.state, c.agent_id, c.closed_at,
               (SELECT COUNT(*) FROM conversation_assignment a WHERE a.conversation_id = c.id
                  AND a.released_at IS NULL) AS carried,
               (SELECT MAX(a.agent_id) FROM conversation_assignment a WHERE a.conversation_id = c.id
                  AND a.released_at IS NULL) AS carrier
        FROM conversation c JOIN tenant t ON t.id = c.tenant_id WHERE t.code = '%s'""".formatted(tenant))) {
      while (rs.next()) {
        String state = rs.getString(2);
        boolean withAgent = state.equals("ASSIGNED") || state.equals("HOLD");
        String what = "conversation " + rs.getLong(1) + " in " + state;
        assertEquals(withAgent ? 1 : 0, rs.getInt(5), what + ": open assignments");
        if (withAgent) {
          assertEquals(rs.getLong(3), rs.getLong(6), what + ": its agent is the one carrying it");
        }
        boolean ended = state.equals("CLOSED") || state.equals("ABANDONED");
        assertEquals(ended, rs.getTimestamp(4) != null, what + ": closed_at");
      }
    }
  }

  private void checkTranscriptsAreGapless(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
        SELECT m.conversation_id, COUNT(*), MIN(m.seq), MAX(m.seq) FROM message m
        JOIN conversation c ON c.id = m.conversation_id JOIN tenant t ON t.id = c.tenant_id
        WHERE t.code = '%s' GROUP BY m.conversation_id""".formatted(tenant))) {
      while (rs.next()) {
        assertEquals(1, rs.getLong(3), "conversation " + rs.getLong(1) + " starts at seq 1");
        assertEquals(rs.getLong(2), rs.getLong(4), "conversation " + rs.getLong(1) + " has a gap");
      }
    }
  }

  private void checkEveryAcknowledgedMessageStoredOnce(Connection c) throws SQLException {
    Map<String, List<String>> stored = new HashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
        SELECT m.cmid, m.conversation_id, m.seq FROM message m
        JOIN conversation c ON c.id = m.conversation_id JOIN tenant t ON t.id = c.tenant_id
        WHERE t.code = '%s' AND m.cmid IS NOT NULL""".formatted(tenant))) {
      while (rs.next()) {
        stored.computeIfAbsent(rs.getString(1), x -> new ArrayList<>()).add(rs.getLong(2) + "/" + rs.getLong(3));
      }
    }
    assertTrue(acknowledged.size() > 500, "the run acknowledged too little to prove anything: " + acknowledged.size());
    acknowledged.forEach((cmid, where) -> assertEquals(List.of(where), stored.get(cmid),
        cmid + " stored once, where its ack said"));
  }

  /** Conversations waiting in a pushed queue while an agent of that queue has room (all agents are ONLINE now). */
  private List<String> waitingWhileAnAgentHasRoom(Connection c, Map<String, Integer> capacity) throws SQLException {
    List<String> found = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
        SELECT w.id, q.code, u.username,
               (SELECT COUNT(*) FROM conversation o WHERE o.agent_id = u.id AND o.state IN ('ASSIGNED', 'HOLD'))
        FROM conversation w JOIN tenant t ON t.id = w.tenant_id
        JOIN chat_queue q ON q.id = w.queue_id AND q.policy <> 'MANUAL'
        JOIN user_queue uq ON uq.queue_id = q.id
        JOIN app_user u ON u.id = uq.user_id
        WHERE t.code = '%s' AND w.state = 'WAITING'""".formatted(tenant))) {
      while (rs.next()) {
        if (rs.getInt(4) < capacity.get(rs.getString(3))) {
          found.add("conversation " + rs.getLong(1) + " waits in " + rs.getString(2) + " while " + rs.getString(3)
              + " has room");
        }
      }
    }
    return found;
  }

  private interface SqlSupplier<T> {
    T get() throws SQLException;
  }

  private static <T> T unchecked(SqlSupplier<T> query) {
    try {
      return query.get();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private String ownerOf(TestServer node, String admin, String center) {
    JsonNode view = node.http().expect(200, "GET", "/api/cluster", admin, null);
    for (JsonNode n : view.path("nodes")) {
      for (JsonNode owned : n.path("centers")) {
        if (owned.asText().equals(tenant + "/" + center)) {
          return n.path("name").asText();
        }
      }
    }
    return "";
  }

  private static long openFiles() {
    try (var files = Files.list(Path.of("/proc/self/fd"))) {
      return files.count();
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
