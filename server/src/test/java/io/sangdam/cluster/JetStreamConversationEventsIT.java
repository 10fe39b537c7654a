package io.sangdam.cluster;

import static io.sangdam.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationEvents;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.protocol.Json;
import io.sangdam.testing.NatsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes' buses on one real nats-server: what one publishes, the other's remote subscribers get. */
class JetStreamConversationEventsIT {
  /** NATS restarting and the consumers coming back take seconds, more on a loaded machine. */
  private static final Duration RECOVERY = Duration.ofSeconds(60);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;
  private final Json json = new Json();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private NatsServer nats;
  private Node a;
  private Node b;

  @BeforeEach
  void start() throws Exception {
    nats = NatsServer.start(dir.resolve("nats"));
    closing.add(nats);
    a = new Node("node-a");
    b = new Node("node-b");
  }

  @AfterEach
  void stop() throws Exception {
    Collections.reverse(closing);
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  @Test
  void eachConversationsEventsReachTheOtherNodeInOrderAndNeverComeBackAsRemote() throws Exception {
    startBoth();
    List<Long> conversations = LongStream.rangeClosed(1, 20).boxed().toList();
    for (long seq = 1; seq <= 25; seq++) {
      for (long c : conversations) {
        a.events.publish(message(c, seq));
      }
    }

    for (long c : conversations) {
      eventually("conversation " + c + "'s messages on node b", () -> b.remote.seqs(c),
          seqs -> seqs.size() >= 25, WAIT);
      assertEquals(LongStream.rangeClosed(1, 25).boxed().toList(), b.remote.seqs(c), "conversation " + c);
    }
    long last = a.events.published(20, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    a.events.deliveredThrough(last, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(Map.of(), a.remote.byConversation, "node a's own events came back to it as remote");
    assertEquals(500, a.local.count(), "node a's local subscribers");
    assertEquals(0, b.local.count(), "node b's local subscribers, which only see what b publishes");
    assertEquals(500, b.meters.counter("sangdam.cluster.events.received").count());
    assertEquals(500, a.meters.counter("sangdam.cluster.events.sent").count());
  }

  @Test
  void aMessageIsDeliveredOncePerConversationAndSeq() throws Exception {
    startBoth();
    ConversationEvent first = message(7, 1);
    a.events.publish(first);
    a.events.publish(first);
    // Another owner of the center (after a failover) publishes the same message beyond the duplicate window.
    rawPublish("sangdam.events.7", new EventCodec(json).write("node-c", first), "another-id");
    a.events.publish(message(7, 2));

    eventually("message 2 on node b", () -> b.remote.seqs(7), seqs -> seqs.contains(2L), WAIT);
    assertEquals(List.of(1L, 2L), b.remote.seqs(7));
    assertEquals(1, b.meters.counter("sangdam.cluster.events.duplicates").count());
  }

  @Test
  void aMessageThatCannotBeReadIsCountedAndTheNextStillArrives() throws Exception {
    startBoth();
    rawPublish("sangdam.events.5", "not json at all".getBytes(StandardCharsets.UTF_8), "garbage-1");
    String valid = new String(new EventCodec(json).write("node-c", message(5, 1)), StandardCharsets.UTF_8);
    rawPublish("sangdam.events.5", valid.replace("\"v\":\"" + EventCodec.VERSION + "\"", "\"v\":\"2.0\"")
        .getBytes(StandardCharsets.UTF_8), "newer-1");
    rawPublish("sangdam.events.5", valid.replace("message_stored", "message_translated")
        .getBytes(StandardCharsets.UTF_8), "unknown-1");
    a.events.publish(message(5, 1));

    eventually("the good message on node b", () -> b.remote.seqs(5), seqs -> seqs.contains(1L), WAIT);
    assertEquals(List.of(1L), b.remote.seqs(5));
    for (String reason : List.of("malformed", "version", "unknown_type")) {
      assertEquals(1, b.meters.get("sangdam.cluster.events.dropped").tag("reason", reason).counter().count(), reason);
    }
    assertEquals(0, b.meters.get("sangdam.cluster.events.dropped").tag("reason", "unpublished").counter().count());
  }

  @Test
  void deliveredThroughWaitsForEverythingUpToTheOwnersSequenceWhileOtherConversationsGoOn() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    b.events.subscribeRemote(e -> {
      if (e.conversationId() == 1) {
        holding.countDown();
        await(release);
      }
    });
    startBoth();

    a.events.publish(message(1, 1));
    long sequence = a.events.published(1, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    var delivered = b.events.deliveredThrough(sequence, WAIT);
    assertTrue(holding.await(WAIT.toSeconds(), TimeUnit.SECONDS), "conversation 1 reached node b's subscriber");
    a.events.publish(message(2, 1));
    eventually("conversation 2 past the stuck conversation 1", () -> b.remote.seqs(2), seqs -> seqs.contains(1L), WAIT);

    assertFalse(delivered.isDone(), "delivered through " + sequence + " while conversation 1 is still held");
    b.events.deliveredThrough(sequence, Duration.ofMillis(100)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertFalse(delivered.isDone(), "a shorter wait given up leaves the others waiting");
    release.countDown();
    delivered.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(b.events.deliveredThrough(sequence, WAIT).isDone(), "a wait for what was delivered ends at once");
    assertTrue(a.events.published(99, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS) >= sequence,
        "nothing of conversation 99 on its way: the last sequence stored");
  }

  @Test
  void publishingGoesOnWhileNatsIsDownAndDeliveryResumesAfterItsRestart() throws Exception {
    startBoth();
    a.events.publish(message(3, 1));
    eventually("message 1 on node b", () -> b.remote.seqs(3), seqs -> seqs.contains(1L), WAIT);

    nats.kill();
    // Never blocks nor throws, and this node's subscribers get it at once.
    a.events.publish(message(3, 2)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    a.events.publish(message(3, 3)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    nats.start();
    a.events.publish(message(3, 4));

    eventually("messages 2 to 4 on node b after NATS came back", () -> b.remote.seqs(3), seqs -> seqs.size() >= 4,
        RECOVERY);
    assertEquals(List.of(1L, 2L, 3L, 4L), b.remote.seqs(3));
    assertEquals(4, a.local.count());
  }

  private void startBoth() throws Exception {
    a.start();
    b.start();
  }

  private void rawPublish(String subject, byte[] message, String id) throws Exception {
    try (Connection raw = Nats.connect(options())) {
      JetStream js = raw.jetStream();
      js.publish(subject, message, PublishOptions.builder().messageId(id).build());
    }
  }

  private Options options() {
    return new Options.Builder().server(nats.url()).maxReconnects(-1).reconnectWait(Duration.ofMillis(200)).build();
  }

  private static ConversationEvent message(long conversationId, long seq) {
    Conversation c = new Conversation(conversationId, 1, 1, 1, 100 + conversationId, "고객", 9L,
        ConversationState.ASSIGNED, 0, Instant.parse("2026-12-01T09:00:00Z"), Instant.parse("2026-12-01T09:00:00Z"),
        Instant.parse("2026-12-01T09:00:01Z"), seq, true, "web");
    return new ConversationEvent.MessageStored(c, new StoredMessage(conversationId, seq, SenderKind.CUSTOMER,
        100 + conversationId, "c-" + seq, "message " + seq, Instant.parse("2026-12-01T09:00:02Z"), null, false), 0);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new AssertionError("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A node's bus, its subscribers recording; a test may subscribe more before it starts. */
  private final class Node {
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Recorder local = new Recorder();
    final Recorder remote = new Recorder();
    final JetStreamConversationEvents events;
    private boolean started;

    Node(String name) throws Exception {
      Connection connection = Nats.connect(options());
      ExecutorService lanes = Executors.newFixedThreadPool(2);
      events = new JetStreamConversationEvents(connection, name, json, lanes, meters, Ticker.systemTicker());
      closing.add(connection::close);
      // As a node runs it: without it, jnats sometimes stays stuck after NATS restarts (see the class).
      ConnectionWatchdog watchdog = new ConnectionWatchdog(connection);
      watchdog.start();
      closing.add(watchdog);
      closing.add(lanes::shutdownNow);
      closing.add(events);
      events.subscribe(local);
      events.subscribeRemote(remote);
    }

    void start() throws Exception {
      if (!started) {
        started = true;
        events.start();
      }
    }
  }

  /** Every event a subscriber got, by conversation. */
  private static final class Recorder implements ConversationEvents.Subscriber {
    final Map<Long, List<ConversationEvent>> byConversation = new ConcurrentHashMap<>();

    @Override
    public void on(ConversationEvent event) {
      byConversation.computeIfAbsent(event.conversationId(), id -> Collections.synchronizedList(new ArrayList<>()))
          .add(event);
    }

    List<Long> seqs(long conversationId) {
      List<ConversationEvent> events = byConversation.getOrDefault(conversationId, List.of());
      synchronized (events) {
        return events.stream().map(e -> ((ConversationEvent.MessageStored) e).message().seq()).toList();
      }
    }

    int count() {
      return byConversation.values().stream().mapToInt(List::size).sum();
    }
  }
}
