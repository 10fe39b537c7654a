package io.sangdam.cluster;

import static io.sangdam.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sangdam.testing.NatsServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry of nodes on a real nats-server: one live node per name, a crash restart taking its
 * name back at once, a dead node's entry expiring by itself, and an entry kept or written again
 * through NATS's restart.
 */
class NodeRegistryIT {
  private static final Duration TTL = Duration.ofSeconds(2);
  private static final Duration HEARTBEAT = Duration.ofMillis(500);
  private static final String FIRST_ID = "0123456789abcdef0123456789abcdef";
  private static final String OTHER_ID = "fedcba9876543210fedcba9876543210";

  @TempDir
  Path dir;
  private NatsServer nats;
  /** Closed after each test, last opened first. */
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  @BeforeEach
  void startNats() {
    nats = NatsServer.start(dir);
  }

  @AfterEach
  void stopAll() throws Exception {
    while (!opened.isEmpty()) {
      opened.pop().close();
    }
    nats.close();
  }

  private NatsLink link(String name) {
    NatsLink link = NatsLink.connect(nats.url(), name, HEARTBEAT, new SimpleMeterRegistry());
    opened.push(link);
    return link;
  }

  private static NodeInfo node(String name, String id, int port) {
    return new NodeInfo(name, id, "localhost", port, 4000 + port, "1.2.3", ClusterProtocol.VERSION,
        Instant.parse("2026-01-05T01:02:03Z"), List.of("acme/seoul"));
  }

  private NodeRegistry registry(NatsLink link, NodeInfo node, Runnable lost) {
    NodeRegistry registry = new NodeRegistry(link, node, TTL, HEARTBEAT, Clock.systemUTC(), lost);
    opened.push(registry);
    return registry;
  }

  private static List<String> names(NodeRegistry registry) {
    return registry.nodes().stream().map(n -> n.info().name()).toList();
  }

  /** The names listed, or none while NATS does not answer yet (JetStream takes a moment after a restart). */
  private static List<String> namesOnceAnswering(NodeRegistry registry) {
    try {
      return names(registry);
    } catch (IllegalStateException notYet) {
      return List.of();
    }
  }

  @Test
  void aNodeIsListedWithWhatItRegisteredAndLeavesTheListWhenItStops() {
    NodeRegistry seoul = registry(link("seoul-1"), node("seoul-1", FIRST_ID, 8080), () -> { });
    seoul.register();
    NodeRegistry busan = registry(link("busan-1"), node("busan-1", OTHER_ID, 8081), () -> { });
    busan.register();

    List<NodeRegistry.LiveNode> nodes = seoul.nodes();
    assertEquals(List.of("busan-1", "seoul-1"), nodes.stream().map(n -> n.info().name()).toList());
    assertEquals(node("seoul-1", FIRST_ID, 8080), nodes.get(1).info());
    assertTrue(nodes.get(1).heartbeatAge().compareTo(TTL) <= 0, nodes.toString());

    busan.close();
    assertEquals(List.of("seoul-1"), names(seoul), "a node that stops cleanly leaves at once");
  }

  @Test
  void aSecondNodeWithTheNameOfALiveNodeOfAnotherIdIsRefusedNamingIt() {
    AtomicInteger lost = new AtomicInteger();
    NodeRegistry first = registry(link("seoul-1"), node("seoul-1", FIRST_ID, 8080), lost::incrementAndGet);
    first.register();

    NodeRegistry second = registry(link("seoul-1"), node("seoul-1", OTHER_ID, 9090), () -> { });
    NodeLease.Refused refused = assertThrows(NodeLease.Refused.class, second::register);
    assertTrue(refused.getMessage().startsWith("a node named seoul-1 is already running at localhost:8080 since "
        + "2026-01-05T01:02:03Z"), refused.getMessage());
    assertTrue(refused.getMessage().contains("give this node its own cluster.nodeName"), refused.getMessage());

    // The first keeps its place through heartbeats after the refusal.
    NodeRegistry watcher = registry(link("watcher"), node("watcher", OTHER_ID, 7070), () -> { });
    eventually("the first's entry written again since", () -> watcher.nodes().stream()
        .filter(n -> n.info().name().equals("seoul-1")).findFirst().orElseThrow(),
        n -> n.info().port() == 8080 && n.heartbeatAge().compareTo(HEARTBEAT.multipliedBy(3)) < 0);
    assertEquals(8080, watcher.nodes().stream().filter(n -> n.info().name().equals("seoul-1")).findFirst()
        .orElseThrow().info().port());
    assertEquals(0, lost.get());
  }

  @Test
  void theSameNodeRestartingAfterACrashTakesItsNameBackAtOnce() {
    NatsLink crashed = link("seoul-1");
    registry(crashed, node("seoul-1", FIRST_ID, 8080), () -> { }).register();
    crashed.close(); // no goodbye: its entry stays until it expires

    NodeRegistry restarted = registry(link("seoul-1"), node("seoul-1", FIRST_ID, 8090), () -> { });
    restarted.register();
    assertEquals(8090, restarted.nodes().get(0).info().port(), "the restarted node's entry, without waiting");
  }

  @Test
  void aLiveNodeWhoseEntryAnotherWroteIsToldItLostIt() {
    AtomicInteger lost = new AtomicInteger();
    registry(link("seoul-1"), node("seoul-1", FIRST_ID, 8080), lost::incrementAndGet).register();

    // A node with the same id (a copied data directory) on another port takes the entry.
    registry(link("seoul-1"), node("seoul-1", FIRST_ID, 8090), () -> { }).register();
    eventually("the first node told at its next heartbeat", () -> lost.get() == 1);
  }

  @Test
  void aKilledNodesEntryExpiresAfterTheTtlAndTheNameIsFreeAgain() {
    NodeRegistry survivor = registry(link("busan-1"), node("busan-1", OTHER_ID, 8081), () -> { });
    survivor.register();
    NatsLink killed = link("seoul-1");
    registry(killed, node("seoul-1", FIRST_ID, 8080), () -> { }).register();
    assertEquals(List.of("busan-1", "seoul-1"), names(survivor));

    killed.close(); // no goodbye and no more heartbeats
    eventually("the killed node gone from the list", () -> names(survivor), List.of("busan-1")::equals,
        TTL.multipliedBy(10));
    NodeRegistry another = registry(link("seoul-1"), node("seoul-1", "00000000000000000000000000000000", 8082),
        () -> { });
    another.register();
    assertEquals(8082, survivor.nodes().get(1).info().port(), "another node may take the name now");
  }

  @Test
  void throughNatsRestartingTheNodeReconnectsAndIsListedAgain() {
    AtomicInteger lost = new AtomicInteger();
    NatsLink link = link("seoul-1");
    NodeRegistry seoul = registry(link, node("seoul-1", FIRST_ID, 8080), lost::incrementAndGet);
    seoul.register();

    nats.kill();
    eventually("disconnected", () -> !link.connected());
    nats.start();
    eventually("reconnected", link::connected);
    eventually("listed again", () -> namesOnceAnswering(seoul), List.of("seoul-1")::equals, TTL.multipliedBy(10));
    // And kept, heartbeat after heartbeat, past the entry's time to live.
    eventually("written again since", () -> seoul.nodes().get(0).heartbeatAge(),
        age -> age.compareTo(HEARTBEAT.multipliedBy(3)) < 0, TTL.multipliedBy(10));
    assertEquals(0, lost.get(), "its own entry is not another node's");
  }

  @Test
  void anEntryThatVanishedWhileNatsWasAwayIsWrittenAgain() throws Exception {
    AtomicInteger lost = new AtomicInteger();
    NodeRegistry seoul = registry(link("seoul-1"), node("seoul-1", FIRST_ID, 8080), lost::incrementAndGet);
    seoul.register();

    // As an expiry would leave it: nothing under the name. The next heartbeat writes it again.
    link("admin").bucket(NodeRegistry.BUCKET, TTL).purge("seoul-1");
    eventually("written again", () -> namesOnceAnswering(seoul), List.of("seoul-1")::equals, TTL.multipliedBy(10));
    assertEquals(0, lost.get());
    assertFalse(seoul.nodes().isEmpty());
  }

  /**
   * The members are told of a node that left, whether it said goodbye or died (its entry expired), once
   * each; and a node whose own entry had vanished is told it rejoined, so it can tell the others again
   * what they forgot of it.
   */
  @Test
  void theMembersAreToldOfEachNodeThatLeftAndOfThisNodesReturn() throws Exception {
    List<String> told = new CopyOnWriteArrayList<>();
    NodeRegistry seoul = registry(link("seoul-1"), node("seoul-1", FIRST_ID, 8080), () -> { });
    seoul.register();
    seoul.watchMembers(new NodeRegistry.Members() {
      @Override
      public void left(String node) {
        told.add("left " + node);
      }

      @Override
      public void rejoined() {
        told.add("rejoined");
      }
    });
    NodeRegistry busan = registry(link("busan-1"), node("busan-1", OTHER_ID, 8081), () -> { });
    busan.register();
    NatsLink killed = link("daegu-1");
    registry(killed, node("daegu-1", "11111111111111111111111111111111", 8082), () -> { }).register();
    Instant bothRegistered = Instant.now();
    // Each heartbeat's look follows its write: a write a heartbeat after both registered follows a whole look.
    eventually("seoul has looked at both others", () -> Instant.now().minus(seoul.nodes().stream()
        .filter(n -> n.info().name().equals("seoul-1")).findFirst().orElseThrow().heartbeatAge())
        .isAfter(bothRegistered.plus(HEARTBEAT)));

    busan.close();
    eventually("a node that stopped told", () -> told.contains("left busan-1"));
    killed.close();
    eventually("a node that died told once its entry expired", () -> told, t -> t.contains("left daegu-1"),
        TTL.multipliedBy(10));
    link("admin").bucket(NodeRegistry.BUCKET, TTL).purge("seoul-1");
    eventually("this node's return told", () -> told, t -> t.contains("rejoined"), TTL.multipliedBy(10));
    assertEquals(List.of("left busan-1", "left daegu-1", "rejoined"), told, "each once");
  }

  /**
   * A node whose connection to NATS closed (its process died) is counted out as soon as its heartbeat is
   * late; a node only slow to answer (paused: NATS still has its subscription), late as long, is counted out
   * only when its entry expires.
   */
  @Test
  void aNodeWhoseConnectionClosedIsCountedOutAtOnceAndAPausedOneWhenItsEntryExpires() throws Exception {
    Duration ttl = Duration.ofSeconds(6);
    List<String> left = new CopyOnWriteArrayList<>();
    NodeRegistry seoul = new NodeRegistry(link("seoul-1"), node("seoul-1", FIRST_ID, 8080), ttl, HEARTBEAT,
        Clock.systemUTC(), () -> { });
    opened.push(seoul);
    Instant registered = Instant.now();
    seoul.register();
    seoul.watchMembers(new NodeRegistry.Members() {
      @Override
      public void left(String node) {
        left.add(node);
      }

      @Override
      public void rejoined() {
      }
    });
    NatsLink killed = link("daegu-1");
    NodeRegistry daegu = new NodeRegistry(killed, node("daegu-1", "11111111111111111111111111111111", 8082), ttl,
        HEARTBEAT, Clock.systemUTC(), () -> { });
    opened.push(daegu);
    daegu.register();
    // A node probes the others once it has itself been on NATS for an entry's lifetime; it looks after each write.
    eventually("seoul on NATS long enough to probe, and has looked since", () -> Instant.now().minus(seoul.nodes()
        .stream().filter(n -> n.info().name().equals("seoul-1")).findFirst().orElseThrow().heartbeatAge()),
        written -> written.isAfter(registered.plus(ttl).plus(HEARTBEAT)), ttl.multipliedBy(3));
    // A paused node: written once now, never again, its process still connected (probed, it answers nothing).
    NatsLink paused = link("busan-1");
    paused.connection().subscribe("sangdam.alive.busan-1");
    paused.bucket(NodeRegistry.BUCKET, ttl).put("busan-1", node("busan-1", OTHER_ID, 8081).toJson());

    killed.close();
    eventually("the dead node counted out", () -> left, l -> l.contains("daegu-1"), ttl.multipliedBy(3));
    assertEquals(List.of("daegu-1"), left, "the paused node, as late, is still counted in");
    assertEquals(List.of("busan-1", "seoul-1"), names(seoul), "the dead node's entry deleted, the paused one's kept");
    eventually("the paused node counted out once its entry expired", () -> left, l -> l.contains("busan-1"),
        ttl.multipliedBy(3));
  }
}
