package io.sangdam.cluster;

import static io.sangdam.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.NewMessage;
import io.sangdam.chat.SenderKind;
import io.sangdam.directory.Center;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import io.sangdam.store.CenterFence;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcAuthStore;
import io.sangdam.store.JdbcCenterFences;
import io.sangdam.store.JdbcChatStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.store.MessageWriter;
import io.sangdam.store.WriteFence;
import io.sangdam.testing.NatsServer;
import io.sangdam.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Center leases of several nodes on a real nats-server and MariaDB: each center owned by exactly
 * one node, a dead node's centers taken over, preferred centers going home, a paused owner fenced
 * out in the database, and no ownership at all while NATS is down.
 */
@ExtendWith(TestDatabase.class)
class CenterLeasesIT {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration HEARTBEAT = Duration.ofMillis(200);
  /** Generous: a few lease periods on a loaded machine. */
  private static final Duration BOUND = Duration.ofSeconds(40);
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @TempDir
  Path dir;
  private NatsServer nats;
  private Database db;
  private Tenant tenant;
  private final List<CenterRef> centers = new ArrayList<>();
  private final Map<Long, Queue> queues = new TreeMap<>();
  /** The live nodes, as the cluster's node registry would list them. */
  private final Map<String, CenterLeases.Member> members = new ConcurrentHashMap<>();
  private final List<TestNode> nodes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(TestDatabase.Url url) {
    nats = NatsServer.start(dir.resolve("nats"));
    db = new Database(url.url(), url.user(), url.password(), 4);
    db.migrate();
    JdbcDirectoryStore directory = new JdbcDirectoryStore(db, Clock.systemUTC(), new Json());
    tenant = directory.insertTenant("t", "T");
    for (int i = 1; i <= 6; i++) {
      Center c = directory.insertCenter(tenant.id(), "c" + i, "C" + i, "UTC");
      centers.add(new CenterRef(c.id(), "t/c" + i));
      queues.put(c.id(), directory.insertQueue(c.id(),
          new NewQueue("q", "Q", RoutingPolicy.LEAST_BUSY, 3, 0, false, null, null)));
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (TestNode n : nodes) {
      n.close();
    }
    nats.close();
    db.close();
  }

  /** A node of the cluster: its leases, and what its listener was told. */
  private final class TestNode implements CenterLeases.Listener, AutoCloseable {
    final String name;
    final Connection connection;
    final CenterLeases leases;
    final Set<Long> told = ConcurrentHashMap.newKeySet();
    final List<Long> lost = new CopyOnWriteArrayList<>();
    volatile boolean halted;

    TestNode(String name, Set<String> prefers) throws Exception {
      this.name = name;
      this.connection = Nats.connect(new Options.Builder().server(nats.url()).maxReconnects(-1)
          .reconnectWait(Duration.ofMillis(100)).connectionTimeout(Duration.ofSeconds(2)).build());
      members.put(name, new CenterLeases.Member(name, prefers));
      // As the node registry does, the live nodes are asked of NATS: without it, the list is refused.
      this.leases = new CenterLeases(connection, name, prefers, LEASE, HEARTBEAT, new JdbcCenterFences(db),
          () -> centers, () -> {
            if (connection.getStatus() != Connection.Status.CONNECTED) {
              throw new IllegalStateException("cannot list the nodes on NATS: not connected");
            }
            return members.values();
          }, Clock.systemUTC());
    }

    @Override
    public void acquired(long centerId, long fence) {
      told.add(centerId);
    }

    @Override
    public void lost(long centerId) {
      told.remove(centerId);
      lost.add(centerId);
    }

    /** Gone without a goodbye: no key deleted, and the registry forgets it. */
    void halt() {
      halted = true;
      members.remove(name);
      leases.halt();
    }

    @Override
    public void close() throws InterruptedException {
      leases.close();
      connection.close();
    }
  }

  private TestNode node(String name, String... prefers) throws Exception {
    TestNode n = new TestNode(name, Set.of(prefers));
    nodes.add(n);
    return n;
  }

  private static void startAll(TestNode... started) {
    for (TestNode n : started) {
      n.leases.start(n);
    }
  }

  /** Each center's owners among the running nodes, by what each node's leases say it owns. */
  private Map<Long, List<String>> owners() {
    Map<Long, List<String>> owners = new TreeMap<>();
    centers.forEach(c -> owners.put(c.id(), new ArrayList<>()));
    for (TestNode n : nodes) {
      if (!n.halted) {
        n.leases.owned().keySet().forEach(id -> owners.get(id).add(n.name));
      }
    }
    return owners;
  }

  private static boolean eachOnce(Map<Long, List<String>> owners) {
    return owners.values().stream().allMatch(o -> o.size() == 1);
  }

  private Map<Long, List<String>> awaitEachOwnedOnce() {
    return eventually("every center owned by exactly one node", this::owners, CenterLeasesIT::eachOnce, BOUND);
  }

  private long centerOf(String code) {
    return centers.stream().filter(c -> c.code().equals(code)).findFirst().orElseThrow().id();
  }

  @Test
  void everyCenterIsOwnedByExactlyOneNodeEachItsFairShare() throws Exception {
    TestNode a = node("a");
    TestNode b = node("b");
    TestNode c = node("c");
    startAll(a, b, c);
    awaitEachOwnedOnce();
    for (TestNode n : List.of(a, b, c)) {
      assertEquals(2, n.leases.owned().size(), n.name + " owns its fair share: " + owners());
      eventually(n.name + "'s listener was told what it owns", () -> n.told, t -> t.equals(n.leases.owned().keySet()));
      n.leases.owned().forEach((id, owned) -> assertEquals(OptionalLong.of(owned.fence()), n.leases.token(id)));
    }
    List<CenterLeases.Lease> leases = a.leases.leases();
    assertEquals(6, leases.size(), "every lease is listed: " + leases);
    for (CenterLeases.Lease lease : leases) {
      TestNode owner = nodes.stream().filter(n -> n.name.equals(lease.node())).findFirst().orElseThrow();
      assertEquals(owner.leases.owned().get(lease.centerId()).fence(), lease.fence(), "the lease shows the fence");
      assertTrue(lease.renewedAgo().compareTo(Duration.ofMinutes(1)) < 0, "renewed lately: " + lease);
    }
  }

  @Test
  void theCentersOfANodeThatDiedAreTakenByTheOthers() throws Exception {
    TestNode a = node("a");
    TestNode b = node("b");
    TestNode c = node("c");
    startAll(a, b, c);
    awaitEachOwnedOnce();
    Set<Long> ofB = Set.copyOf(b.leases.owned().keySet());

    b.halt();
    Map<Long, List<String>> owners = awaitEachOwnedOnce();
    for (long center : ofB) {
      String taker = owners.get(center).get(0);
      assertTrue(Set.of("a", "c").contains(taker), "taken by a live node: " + owners);
      TestNode n = taker.equals("a") ? a : c;
      assertTrue(n.told.contains(center), "the taker's listener was told");
      assertTrue(n.leases.owned().get(center).fence() >= 2, "the fence grew on takeover");
    }
  }

  @Test
  void preferredCentersGoToTheNodeThatPrefersThemAndComeBackWhenItReturns() throws Exception {
    long c1 = centerOf("t/c1");
    long c2 = centerOf("t/c2");
    TestNode a = node("a", "t/c1", "t/c2");
    TestNode b = node("b");
    TestNode c = node("c");
    startAll(b, c, a);
    eventually("a owns the centers it prefers", () -> owners(),
        o -> eachOnce(o) && o.get(c1).equals(List.of("a")) && o.get(c2).equals(List.of("a")), BOUND);

    a.halt();
    eventually("the others took a's centers", () -> owners(),
        o -> eachOnce(o) && !o.get(c1).equals(List.of("a")) && !o.get(c2).equals(List.of("a")), BOUND);

    TestNode back = node("a", "t/c1", "t/c2");
    startAll(back);
    eventually("a's centers came back to it", () -> owners(),
        o -> eachOnce(o) && o.get(c1).equals(List.of("a")) && o.get(c2).equals(List.of("a")), BOUND);
    assertTrue(back.told.containsAll(Set.of(c1, c2)));
    assertTrue(b.lost.contains(c1) || c.lost.contains(c1), "the node that had c1 let it go");
  }

  @Test
  void aPausedOwnerIsFencedOutOfTheDatabaseOnceAnotherNodeTookItsCenter() throws Exception {
    TestNode a = node("a");
    TestNode b = node("b");
    startAll(a, b);
    awaitEachOwnedOnce();
    long center = a.leases.owned().keySet().iterator().next();
    long oldFence = a.leases.owned().get(center).fence();
    Queue queue = queues.get(center);
    long customerId = new JdbcAuthStore(db).insertVisitor(tenant.id(), new byte[32], "고객", NOW).customerId();
    long agentId = new JdbcDirectoryStore(db, Clock.systemUTC(), new Json()).insertUser(new NewUser(tenant.id(), center,
        "kim", "김상담", Role.AGENT, "-", null, Set.of(queue.id()))).id();
    Conversation chat = new JdbcChatStore(db).insertConversation(tenant.id(), center, queue.id(), customerId, "고객",
        0, NOW, null);

    a.leases.pauseRenewals(); // as a long GC pause would: a still believes it owns its centers
    eventually("b took the center", () -> b.leases.owned().get(center), owned -> owned != null, BOUND);
    assertEquals(oldFence + 1, b.leases.owned().get(center).fence(), "b bumped the fence");
    assertEquals(OptionalLong.empty(), a.leases.token(center), "a's own clock says its lease lapsed");

    // A write of a that went out with the token it held, before it knew: refused by the database.
    CenterFence stale = new JdbcCenterFences(db).fence(id -> OptionalLong.of(oldFence));
    SangdamException refused = assertThrows(SangdamException.class,
        () -> new JdbcChatStore(db, stale).markAssigned(chat.id(), agentId, "ROUTED", NOW));
    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    try (MessageWriter writer = new MessageWriter(db, 100, new SimpleMeterRegistry(), WriteFence.NONE, stale)) {
      writer.start();
      CompletionException notStored = assertThrows(CompletionException.class, () -> writer.append(
          new NewMessage(chat.id(), SenderKind.CUSTOMER, customerId, "m1", "안녕하세요", NOW)).join());
      assertEquals(ErrorCode.UNAVAILABLE, ((SangdamException) notStored.getCause()).code());
    }
    Conversation after = new JdbcChatStore(db).conversation(chat.id()).orElseThrow();
    assertEquals(ConversationState.WAITING, after.state(), "the assignment rolled back");
    assertEquals(0, after.lastSeq(), "no message stored");
    JdbcChatStore ofB = new JdbcChatStore(db, new JdbcCenterFences(db).fence(b.leases));
    assertTrue(ofB.markAssigned(chat.id(), agentId, "ROUTED", NOW), "the new owner's token is the one that writes");

    a.leases.resumeRenewals();
    eventually("a was told it lost the center", () -> a.lost, lost -> lost.contains(center), BOUND);
    eventually("b alone owns it", () -> owners().get(center), o -> o.equals(List.of("b")), BOUND);
  }

  @Test
  void withNatsDownEveryNodeLetsGoOfItsCentersAndTakesThemAgainWhenItIsBack() throws Exception {
    TestNode a = node("a");
    TestNode b = node("b");
    TestNode c = node("c");
    startAll(a, b, c);
    awaitEachOwnedOnce();

    Logger logger = (Logger) LoggerFactory.getLogger(CenterLeases.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      nats.kill();
      for (TestNode n : List.of(a, b, c)) {
        eventually(n.name + " owns nothing", () -> n.leases.owned(), Map::isEmpty, BOUND);
        eventually(n.name + "'s listener was told of each loss", () -> n.told, Set::isEmpty);
        assertTrue(centers.stream().allMatch(ref -> n.leases.token(ref.id()).isEmpty()), "no token answered");
      }
    } finally {
      logger.detachAppender(logged);
    }
    synchronized (logged) { // the appender appends under its own lock
      // Before: each heartbeat without NATS failed on the list of live nodes, an ERROR with its stack every beat.
      assertEquals(List.of(), logged.list.stream().filter(e -> e.getLevel() == Level.ERROR)
          .map(ILoggingEvent::getFormattedMessage).toList(), "NATS away is no error of the leases");
    }

    nats.start();
    Map<Long, List<String>> owners = awaitEachOwnedOnce();
    for (TestNode n : List.of(a, b, c)) {
      eventually(n.name + "'s listener was told what it owns: " + owners, () -> n.told,
          t -> t.equals(n.leases.owned().keySet()));
    }
  }
}
