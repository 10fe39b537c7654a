package io.sangdam.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One failover run: while two customers write to a center (one connected to its owner, one to another
 * node), the owner is killed (SIGKILL). Measures kill to the first assignment made by the new owner (a
 * customer starting a chat right after the kill, sending again while answered {@code unavailable}) and
 * kill to the first acknowledged message sent after the kill; the customer of the dead node reconnects
 * to a survivor, sends again what was not acknowledged, and writes on. Then the database says whether
 * any acknowledged message was lost or any message stored twice.
 */
final class Failover {
  static final String CENTER = "f";
  static final String QUEUE = "fq";
  /** Acknowledged messages each writer has before the kill, and the dead node's writer after its reconnect. */
  private static final int WRITTEN_BEFORE = 20;
  private static final int WRITTEN_AFTER = 10;
  private static final Duration BOUND = Duration.ofSeconds(60);

  record Result(String killed, String newOwner, long assignedMillis, long acknowledgedMillis, int acknowledged,
      int lost, int duplicated, int gaps, int assignedBeforeStarted) {}

  private Failover() {}

  static Result run(int n, ClusterNodes cluster, WsClients clients, String admin, String agentToken, String dbUrl)
      throws Exception {
    ClusterNodes.Node first = cluster.all().stream().filter(ClusterNodes.Node::running).findFirst().orElseThrow();
    String ownerName = cluster.awaitOwner(first, admin, "bench/" + CENTER, null, BOUND);
    ClusterNodes.Node owner = cluster.node(ownerName);
    List<ClusterNodes.Node> survivors = cluster.all().stream().filter(x -> x != owner).toList();
    ClusterNodes.Node agentNode = survivors.get(0);
    ClusterNodes.Node otherNode = survivors.get(1);

    try (Session agent = Session.open(clients, URI.create(agentNode.ws() + "/ws/agent"))) {
      agent.send(Session.frame("type", "hello", "token", agentToken)).expect("welcome");
      agent.send(Session.frame("type", "status", "status", "ONLINE")).expect("status");
      Writer onOwner = Writer.start(clients, owner.ws(), "w" + n + "-");
      Writer elsewhere = Writer.start(clients, otherNode.ws(), "v" + n + "-");
      // The writer whose node dies comes back on the agent's node.
      onOwner.fallback = agentNode.ws();
      onOwner.awaitAcknowledged(WRITTEN_BEFORE);
      elsewhere.awaitAcknowledged(WRITTEN_BEFORE);

      long killed = System.nanoTime();
      elsewhere.killedAt = killed;
      owner.kill();
      long[] started = startAndAwaitAssigned(clients, otherNode.ws(), killed);
      long assigned = started[0];
      elsewhere.awaitAcknowledgedAfterKill();
      onOwner.awaitAcknowledged(onOwner.acknowledged.size() + WRITTEN_AFTER);
      onOwner.stop();
      elsewhere.stop();
      String newOwner = ownerOf(cluster, agentNode, admin);
      // The agent's seats free again for the next run.
      for (long chat : List.of(onOwner.conversation, elsewhere.conversation, started[1])) {
        agent.send(Session.frame("type", "close", "conversation", chat));
        JsonNode closed = agent.next(Set.of("closed", "error"), BOUND);
        if (closed == null || !closed.path("type").asText().equals("closed")) {
          throw new IllegalStateException("closing " + chat + ": " + closed);
        }
      }

      owner.start(); // again under its name, for the next run; awaited after the count
      int lost = 0;
      int duplicated = 0;
      int gaps = 0;
      try (Connection db = DriverManager.getConnection(dbUrl, "root", "")) {
        for (Writer w : List.of(onOwner, elsewhere)) {
          Stored stored = Stored.read(db, w.conversation);
          lost += (int) w.acknowledged.entrySet().stream()
              .filter(e -> !e.getKey().equals(stored.cmidAt.get(e.getValue()))).count();
          duplicated += stored.duplicated;
          gaps += stored.gaps;
        }
      }
      owner.awaitReady();
      return new Result(ownerName, newOwner, TimeUnit.NANOSECONDS.toMillis(assigned - killed),
          TimeUnit.NANOSECONDS.toMillis(elsewhere.firstAckAfterKill - killed),
          onOwner.acknowledged.size() + elsewhere.acknowledged.size(), lost, duplicated, gaps,
          (int) started[2] + (onOwner.outOfOrder ? 1 : 0) + (elsewhere.outOfOrder ? 1 : 0));
    }
  }

  private static String ownerOf(ClusterNodes cluster, ClusterNodes.Node asked, String admin) throws Exception {
    return cluster.awaitOwner(asked, admin, "bench/" + CENTER, null, BOUND);
  }

  /**
   * A customer on a surviving node starts a chat, again on each {@code unavailable}: when it was assigned
   * (nanos), the conversation, and 1 if it was told assigned before started.
   */
  private static long[] startAndAwaitAssigned(WsClients clients, String ws, long killed) throws Exception {
    try (Session customer = Session.open(clients, URI.create(ws + "/ws/customer"))) {
      customer.send(Session.frame("type", "hello", "tenant", "bench", "center", CENTER)).expect("welcome");
      long deadline = killed + BOUND.toNanos();
      while (System.nanoTime() < deadline) {
        customer.send(Session.frame("type", "start", "queue", QUEUE));
        JsonNode refused = customer.next(Set.of("started", "assigned", "error"), Duration.ofSeconds(15));
        if (refused != null && !refused.path("type").asText().equals("error")) {
          Started started = Started.after(refused, customer, BOUND);
          return new long[] {started.assignedNanos(), started.conversation(), started.assignedFirst() ? 1 : 0};
        }
        if (refused != null && !refused.path("code").asText().equals("unavailable")) {
          throw new IllegalStateException("start refused: " + refused);
        }
        Thread.sleep(50);
      }
      throw new IllegalStateException("no chat started within " + BOUND + " of the kill");
    }
  }

  /**
   * A chat started and assigned, whichever of {@code started} and {@code assigned} came first (the
   * protocol says started; the other order is counted): the conversation, when it was assigned, and
   * whether assigned came first.
   */
  private record Started(long conversation, long assignedNanos, boolean assignedFirst) {
    /** Both frames after a {@code start}; null if it was refused. */
    static Started await(Session s, Duration bound) throws InterruptedException {
      JsonNode first = s.next(Set.of("started", "assigned", "error"), bound);
      if (first == null || first == Session.CLOSED || first.path("type").asText().equals("error")) {
        return null;
      }
      return after(first, s, bound);
    }

    static Started after(JsonNode first, Session s, Duration bound) throws InterruptedException {
      boolean assignedFirst = first.path("type").asText().equals("assigned");
      long firstAt = System.nanoTime();
      JsonNode second = s.next(Set.of(assignedFirst ? "started" : "assigned"), bound);
      if (second == null || second == Session.CLOSED) {
        throw new IllegalStateException("after " + first + " nothing more within " + bound);
      }
      JsonNode started = assignedFirst ? second : first;
      return new Started(started.path("conversation").path("id").asLong(),
          assignedFirst ? firstAt : System.nanoTime(), assignedFirst);
    }
  }

  /** What the database holds of a conversation: cmid by seq, cmids stored more than once, gaps in seq. */
  private record Stored(Map<Long, String> cmidAt, int duplicated, int gaps) {
    static Stored read(Connection db, long conversation) throws SQLException {
      Map<Long, String> cmidAt = new HashMap<>();
      Map<String, Integer> times = new HashMap<>();
      List<Long> seqs = new ArrayList<>();
      try (PreparedStatement s = db.prepareStatement(
          "SELECT seq, cmid FROM message WHERE conversation_id = ? ORDER BY seq")) {
        s.setLong(1, conversation);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            seqs.add(rs.getLong(1));
            String cmid = rs.getString(2);
            cmidAt.put(rs.getLong(1), cmid);
            if (cmid != null) {
              times.merge(cmid, 1, Integer::sum);
            }
          }
        }
      }
      int gaps = 0;
      for (int i = 0; i < seqs.size(); i++) {
        if (seqs.get(i) != i + 1) {
          gaps++;
        }
      }
      int repeated = (int) times.values().stream().filter(t -> t > 1).count() + (seqs.size() - cmidAt.size());
      return new Stored(cmidAt, repeated, gaps);
    }
  }

  /**
   * A customer writing one message at a time into a chat of its own: each sent until acknowledged, again
   * with the same cmid on {@code unavailable} or no answer; after losing its node it says hello again on
   * {@link #fallback} as the same visitor and goes on where it was.
   */
  private static final class Writer implements Runnable {
    private final WsClients clients;
    private final String prefix;
    final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    volatile String fallback;
    volatile long killedAt = Long.MAX_VALUE;
    volatile long firstAckAfterKill;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private Session session;
    private String visitor;
    long conversation;
    /** Told {@code assigned} before {@code started}. */
    boolean outOfOrder;
    private Thread thread;

    private Writer(WsClients clients, String prefix) {
      this.clients = clients;
      this.prefix = prefix;
    }

    static Writer start(WsClients clients, String ws, String prefix) throws Exception {
      Writer w = new Writer(clients, prefix);
      w.session = Session.open(clients, URI.create(ws + "/ws/customer"));
      w.visitor = w.session.send(Session.frame("type", "hello", "tenant", "bench", "center", CENTER))
          .expect("welcome").path("visitor").asText();
      w.session.send(Session.frame("type", "start", "queue", QUEUE));
      Started started = Started.await(w.session, BOUND);
      if (started == null) {
        throw new IllegalStateException("start of " + prefix + " refused");
      }
      w.conversation = started.conversation();
      w.outOfOrder = started.assignedFirst();
      w.thread = new Thread(w, "writer-" + prefix);
      w.thread.setDaemon(true);
      w.thread.start();
      return w;
    }

    @Override
    public void run() {
      long deadline = System.nanoTime() + 3 * BOUND.toNanos();
      try {
        for (int next = 0; !stopping && System.nanoTime() < deadline; next++) {
          String cmid = prefix + next;
          while (!acknowledged.containsKey(cmid) && System.nanoTime() < deadline) {
            long sent = System.nanoTime();
            session.send(Session.frame("type", "send", "conversation", conversation, "cmid", cmid, "text",
                "고객 메시지 " + cmid));
            JsonNode answer = answerTo(cmid);
            if (answer == Session.CLOSED) {
              reconnect();
            } else if (answer != null && answer.path("type").asText().equals("ack")) {
              acknowledged.put(cmid, answer.path("seq").asLong());
              if (sent > killedAt && firstAckAfterKill == 0) {
                firstAckAfterKill = System.nanoTime();
              }
            } else if (answer != null && !answer.path("code").asText().equals("unavailable")) {
              throw new IllegalStateException(cmid + " refused: " + answer);
            } else if (answer != null) {
              Thread.sleep(50);
            }
          }
        }
      } catch (Throwable e) {
        failure = e;
      }
    }

    /** The ack of {@code cmid} or an error (a send carries no rid); null after 15 s, longer than a forwarded call may take. */
    private JsonNode answerTo(String cmid) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline) {
        JsonNode answer = session.next(Set.of("ack", "error"), Duration.ofNanos(deadline - System.nanoTime()));
        if (answer == null || answer == Session.CLOSED || answer.path("type").asText().equals("error")
            || answer.path("cmid").asText().equals(cmid)) {
          return answer;
        }
      }
      return null;
    }

    private void reconnect() throws Exception {
      if (fallback == null) {
        throw new IllegalStateException("the connection of " + prefix + " closed");
      }
      session = Session.open(clients, URI.create(fallback + "/ws/customer"));
      session.send(Session.frame("type", "hello", "tenant", "bench", "center", CENTER, "visitor", visitor))
          .expect("welcome");
      fallback = null;
    }

    void awaitAcknowledged(int count) throws Exception {
      await(() -> acknowledged.size() >= count, count + " acknowledged messages of " + prefix);
    }

    void awaitAcknowledgedAfterKill() throws Exception {
      await(() -> firstAckAfterKill != 0, "a message of " + prefix + " acknowledged after the kill");
    }

    private void await(java.util.function.BooleanSupplier done, String what) throws Exception {
      long deadline = System.nanoTime() + BOUND.toNanos();
      while (!done.getAsBoolean()) {
        if (failure != null) {
          throw new IllegalStateException(what + ": the writer failed", failure);
        }
        if (System.nanoTime() > deadline || !thread.isAlive()) {
          throw new IllegalStateException("no " + what + " within " + BOUND);
        }
        Thread.sleep(20);
      }
    }

    void stop() throws InterruptedException {
      stopping = true;
      thread.join(TimeUnit.SECONDS.toMillis(30));
      session.close();
      if (failure != null) {
        throw new IllegalStateException("writer " + prefix + " failed", failure);
      }
    }
  }
}
