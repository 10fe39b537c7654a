package io.sangdam.cluster;

import static io.sangdam.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.sangdam.chat.SenderKind;
import io.sangdam.presence.OtherSide;
import io.sangdam.testing.NatsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typing, read and customer presence between two nodes over a real nats-server. */
class SessionSignalsIT {

  /** What one node's sessions and chat were told, in order. */
  private static final class Told implements OtherSide, SessionSignals.Presence {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void connected(long customerId) {
      lines.add("here online " + customerId);
    }

    @Override
    public void disconnected(long customerId) {
      lines.add("here offline " + customerId);
    }

    @Override
    public void elsewhere(long customerId, String node, boolean present) {
      lines.add((present ? "online " : "offline ") + customerId + " on " + node);
    }

    @Override
    public void onlyThese(String node, Set<Long> customers) {
      lines.add("only " + customers.size() + " on " + node);
    }

    @Override
    public void nodeGone(String node) {
      lines.add("gone " + node);
    }

    @Override
    public void typing(long conversationId, long customerId, Long agentId, SenderKind from) {
      lines.add("typing " + conversationId + " " + customerId + " " + agentId + " " + from);
    }

    @Override
    public void read(long conversationId, long customerId, Long agentId, SenderKind from, long seq) {
      lines.add("read " + conversationId + " " + customerId + " " + agentId + " " + from + " " + seq);
    }
  }

  /** A node's signals, telling {@code told} everything, once NATS has its subscription. */
  private static SessionSignals listening(Connection nats, String node, Told told, SimpleMeterRegistry metrics)
      throws Exception {
    SessionSignals signals = new SessionSignals(nats, node, told, told, id -> told.lines.add("taken " + id), metrics);
    signals.start();
    nats.flush(Duration.ofSeconds(5));
    return signals;
  }

  @Test
  void signalsReachTheOtherNodesSessionsOnceAndGarbageIsDroppedAndCounted(@TempDir Path dir) throws Exception {
    try (NatsServer nats = NatsServer.start(dir); Connection ca = Nats.connect(nats.url());
        Connection cb = Nats.connect(nats.url())) {
      Told toldA = new Told();
      Told toldB = new Told();
      SimpleMeterRegistry metricsB = new SimpleMeterRegistry();
      SessionSignals a = listening(ca, "a", toldA, new SimpleMeterRegistry());
      SessionSignals b = listening(cb, "b", toldB, metricsB);

      cb.publish(SessionSignals.SUBJECT, "{not json".getBytes(StandardCharsets.UTF_8));
      cb.publish(SessionSignals.SUBJECT, "{\"v\":1,\"node\":\"c\",\"kind\":\"typing\",\"customer\":\"x\"}"
          .getBytes(StandardCharsets.UTF_8));
      cb.publish(SessionSignals.SUBJECT, "{\"v\":9,\"node\":\"c\",\"kind\":\"online\",\"customer\":1}"
          .getBytes(StandardCharsets.UTF_8));
      cb.publish(SessionSignals.SUBJECT, "{\"v\":1,\"node\":\"c\",\"kind\":\"dance\",\"customer\":1}"
          .getBytes(StandardCharsets.UTF_8));
      cb.publish(SessionSignals.SUBJECT, "{\"v\":1,\"kind\":\"online\",\"customer\":1}"
          .getBytes(StandardCharsets.UTF_8));
      cb.publish(SessionSignals.SUBJECT, "{\"v\":1,\"node\":\"c\",\"kind\":\"present\",\"customers\":[1,\"x\"]}"
          .getBytes(StandardCharsets.UTF_8));
      a.customerConnected(9);
      a.customerConnected(9);
      a.typing(42, 9, null, SenderKind.CUSTOMER);
      b.read(42, 9, 4L, SenderKind.AGENT, 7);
      a.customerDisconnected(9);
      a.customerDisconnected(9);
      a.centerTaken(3);

      eventually("b told everything", () -> toldB.lines.size() >= 5);
      assertEquals(List.of("online 9 on a", "typing 42 9 null CUSTOMER", "offline 9 on a", "taken 3"),
          toldB.lines.stream().filter(line -> !line.startsWith("read")).toList(),
          "a's signals in a's order; its customer's presence told as a's state, not per session");
      assertEquals(List.of("read 42 9 4 AGENT 7"), toldB.lines.stream().filter(line -> line.startsWith("read"))
          .toList(), "b's own read told here directly, not again by the bus");
      eventually("a told b's read", () -> toldA.lines.contains("read 42 9 4 AGENT 7"));
      assertEquals(List.of("here online 9", "here online 9", "typing 42 9 null CUSTOMER", "here offline 9",
          "here offline 9"), toldA.lines.stream().filter(line -> !line.startsWith("read") && !line.startsWith("only"))
          .toList(),
          "a's own signals told here once per session; a center a took up is for the others' agents");
      assertEquals(6.0, metricsB.get("sangdam_cluster_signals_dropped").counter().count(),
          "the malformed, the unnumbered, the other version, the unknown kind, the nodeless, the bad list");
      a.close();
      b.close();
    }
  }

  /**
   * Every node tells a center's new owner which customers it has connected (in batches), so the owner's
   * clocks do not take them for away; a customer who left before is not among them.
   */
  @Test
  void aCentersNewOwnerIsToldEveryCustomerConnectedElsewhere(@TempDir Path dir) throws Exception {
    try (NatsServer nats = NatsServer.start(dir); Connection ca = Nats.connect(nats.url());
        Connection cb = Nats.connect(nats.url())) {
      Told toldA = new Told();
      Told toldB = new Told();
      SessionSignals a = listening(ca, "a", toldA, new SimpleMeterRegistry());
      SessionSignals b = listening(cb, "b", toldB, new SimpleMeterRegistry());
      int connected = SessionSignals.PRESENT_BATCH * 2 + 1;
      for (long customer = 1; customer <= connected + 1; customer++) {
        b.customerConnected(customer);
      }
      b.customerDisconnected(connected + 1);
      eventually("a told of b's customers as they came", () -> toldA.lines.contains("offline " + (connected + 1)
          + " on b"));
      toldA.lines.clear();

      a.centerTaken(7);

      eventually("b's agents told again", () -> toldB.lines.contains("taken 7"));
      eventually("a told every customer connected to b, then that these are all", () -> toldA.lines.size()
          == connected + 1);
      for (long customer = 1; customer <= connected; customer++) {
        assertTrue(toldA.lines.contains("online " + customer + " on b"), "customer " + customer);
      }
      assertEquals("only " + connected + " on b", toldA.lines.get(connected), "the snapshot's last batch");
      a.nodeLeft("b");
      assertTrue(toldA.lines.contains("gone b"), "a node gone from the cluster is told to the presence");
      a.close();
      b.close();
    }
  }
}
