package io.sangdam.cluster;

import static io.sangdam.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typing, read and customer presence between two nodes over a real nats-server. */
class SessionSignalsIT {

  /** What one node's sessions and chat were told, in order. */
  private static final class Told implements OtherSide {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void typing(long conversationId, long customerId, Long agentId, SenderKind from) {
      lines.add("typing " + conversationId + " " + customerId + " " + agentId + " " + from);
    }

    @Override
    public void read(long conversationId, long customerId, Long agentId, SenderKind from, long seq) {
      lines.add("read " + conversationId + " " + customerId + " " + agentId + " " + from + " " + seq);
    }
  }

  @Test
  void signalsReachTheOtherNodesSessionsOnceAndGarbageIsDroppedAndCounted(@TempDir Path dir) throws Exception {
    try (NatsServer nats = NatsServer.start(dir); Connection ca = Nats.connect(nats.url());
        Connection cb = Nats.connect(nats.url())) {
      Told toldA = new Told();
      Told toldB = new Told();
      SimpleMeterRegistry metricsB = new SimpleMeterRegistry();
      SessionSignals a = new SessionSignals(ca, "a", toldA, id -> toldA.lines.add("online " + id),
          id -> toldA.lines.add("offline " + id), id -> toldA.lines.add("taken " + id), new SimpleMeterRegistry());
      SessionSignals b = new SessionSignals(cb, "b", toldB, id -> toldB.lines.add("online " + id),
          id -> toldB.lines.add("offline " + id), id -> toldB.lines.add("taken " + id), metricsB);
      a.start();
      b.start();
      ca.flush(Duration.ofSeconds(5));
      cb.flush(Duration.ofSeconds(5));

      cb.publish(SessionSignals.SUBJECT, "{not json".getBytes(StandardCharsets.UTF_8));
      cb.publish(SessionSignals.SUBJECT, "{\"v\":1,\"node\":\"c\",\"kind\":\"typing\",\"customer\":\"x\"}"
          .getBytes(StandardCharsets.UTF_8));
      cb.publish(SessionSignals.SUBJECT, "{\"v\":9,\"node\":\"c\",\"kind\":\"online\",\"customer\":1}"
          .getBytes(StandardCharsets.UTF_8));
      cb.publish(SessionSignals.SUBJECT, "{\"v\":1,\"node\":\"c\",\"kind\":\"dance\",\"customer\":1}"
          .getBytes(StandardCharsets.UTF_8));
      a.customerConnected(9);
      a.typing(42, 9, null, SenderKind.CUSTOMER);
      b.read(42, 9, 4L, SenderKind.AGENT, 7);
      a.customerDisconnected(9);
      a.centerTaken(3);

      eventually("b told everything", () -> toldB.lines.size() >= 5);
      assertEquals(List.of("online 9", "typing 42 9 null CUSTOMER", "offline 9", "taken 3"),
          toldB.lines.stream().filter(line -> !line.startsWith("read")).toList(), "a's signals in a's order");
      assertEquals(List.of("read 42 9 4 AGENT 7"), toldB.lines.stream().filter(line -> line.startsWith("read"))
          .toList(), "b's own read told here directly, not again by the bus");
      eventually("a told b's read", () -> toldA.lines.contains("read 42 9 4 AGENT 7"));
      assertEquals(List.of("online 9", "typing 42 9 null CUSTOMER", "offline 9"),
          toldA.lines.stream().filter(line -> !line.startsWith("read")).toList(),
          "a's own signals told here once; a center a took up is for the others' agents");
      assertEquals(4.0, metricsB.get("sangdam_cluster_signals_dropped").counter().count(),
          "the malformed, the unnumbered, the other version and the unknown kind");
      a.close();
      b.close();
    }
  }
}
