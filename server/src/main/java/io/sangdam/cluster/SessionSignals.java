package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.sangdam.chat.SenderKind;
import io.sangdam.presence.OtherSide;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What sessions tell each other without storing it, across nodes: typing, read up to a seq, whether a
 * node has sessions of a customer (the owner of their conversation starts or stops the grace period by
 * that), and a center taken up by a new owner (whose fresh routing and clocks must learn again who is
 * at work and who is connected on every node). Each node tells its own sessions and broadcasts on
 * {@code sangdam.signals}; every other node tells its sessions too.
 *
 * <p>A customer's presence is told as a state, per node ({@code online}: this node has sessions of the
 * customer, {@code offline}: none any more), never as counts. Every node also tells all its connected
 * customers ({@code present}: a snapshot in batches of one {@code epoch}, the last one marked), every
 * {@link #SNAPSHOT_EVERY}, soon after a center gets a new owner, and when it joins the cluster again
 * after losing NATS; the other nodes take the snapshot as that node's whole truth. So a signal lost
 * (NATS is at most once) or told twice is wrong for a snapshot's interval at most, and a node that left
 * the cluster counts for nobody. Typing repeats, and read is sent again with the next message.
 */
public final class SessionSignals implements OtherSide, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionSignals.class);
  /** The format of signals; a node drops a signal of another version. */
  public static final int VERSION = 1;
  static final String SUBJECT = "sangdam.signals";

  private final Connection nats;
  private final String node;
  private final OtherSide sessionsHere;
  /** The most customers one {@code present} signal names (about 10 KB). */
  static final int PRESENT_BATCH = 500;
  /** How often each node tells its whole presence, healing what a lost signal left wrong. */
  public static final Duration SNAPSHOT_EVERY = Duration.ofSeconds(30);
  /** Requests to tell it soon (a center's new owner, told by two ways) that come this close are told once. */
  private static final Duration SOON = Duration.ofMillis(200);

  private final Presence presence;
  private final LongConsumer centerTaken;
  /** This node's sessions per customer; changed, and told to the other nodes, under its own lock. */
  private final Map<Long, Integer> here = new HashMap<>();
  /** This node's snapshots, numbered; under {@link #here}'s lock. */
  private long epoch;
  private final AtomicBoolean announcing = new AtomicBoolean();
  /** Other nodes' snapshots being received, by node; on the signals' dispatcher thread only. */
  private final Map<String, Snapshot> receiving = new HashMap<>();

  private record Snapshot(long epoch, Set<Long> customers) {}
  private final ObjectMapper json = ClusterJson.mapper();
  private final Counter dropped;
  private Dispatcher dispatcher;

  /**
   * @param sessionsHere this node's sessions
   * @param presence where customers' sessions are, as this node keeps it
   * @param centerTaken told when a node has taken a center up: this node's agents of it at work tell its new
   *     routing again
   */
  public SessionSignals(Connection nats, String node, OtherSide sessionsHere, Presence presence,
      LongConsumer centerTaken, MeterRegistry registry) {
    this.nats = requireNonNull(nats, "nats");
    this.node = requireNonNull(node, "node");
    this.sessionsHere = requireNonNull(sessionsHere, "sessionsHere");
    this.presence = requireNonNull(presence, "presence");
    this.centerTaken = requireNonNull(centerTaken, "centerTaken");
    this.dropped = Counter.builder("sangdam_cluster_signals_dropped")
        .description("Signals from other nodes (typing, read, customer presence) dropped: malformed or of another "
            + "format version")
        .register(registry);
  }

  public void start() {
    dispatcher = nats.createDispatcher(this::receive);
    dispatcher.subscribe(SUBJECT);
  }

  @Override
  public void typing(long conversationId, long customerId, Long agentId, SenderKind from) {
    sessionsHere.typing(conversationId, customerId, agentId, from);
    broadcast(signal("typing", conversationId, customerId, agentId, from));
  }

  @Override
  public void read(long conversationId, long customerId, Long agentId, SenderKind from, long seq) {
    sessionsHere.read(conversationId, customerId, agentId, from, seq);
    broadcast(signal("read", conversationId, customerId, agentId, from).put("seq", seq));
  }

  /** A session of the customer opened on this node; with the first one here, the other nodes are told. */
  public void customerConnected(long customerId) {
    synchronized (here) {
      if (here.merge(customerId, 1, Integer::sum) == 1) {
        broadcast(presence("online", customerId));
      }
    }
    presence.connected(customerId);
  }

  /** A session of the customer closed on this node; with the last one here, the other nodes are told. */
  public void customerDisconnected(long customerId) {
    synchronized (here) {
      Integer left = here.computeIfPresent(customerId, (k, n) -> n > 1 ? n - 1 : null);
      if (left == null) {
        broadcast(presence("offline", customerId));
      }
    }
    presence.disconnected(customerId);
  }

  /**
   * Tells every other node which customers have sessions here, as a snapshot that replaces what they knew
   * of this node: periodically, after a center got a new owner (whose clocks must not take them for away),
   * or when this node is back in the cluster after the others forgot it. Under the lock of this node's
   * online and offline signals, so none of them falls between the snapshot taken and told.
   */
  public void announceCustomers() {
    synchronized (here) {
      List<Long> all = new ArrayList<>(here.keySet());
      long snapshot = ++epoch;
      int from = 0;
      do {
        int to = Math.min(all.size(), from + PRESENT_BATCH);
        ObjectNode s = envelope("present").put("epoch", snapshot).put("last", to == all.size());
        ArrayNode ids = s.putArray("customers");
        all.subList(from, to).forEach(ids::add);
        broadcast(s);
        from = to;
      } while (from < all.size());
    }
  }

  /** As {@link #announceCustomers}, once for every request in the next moment: new owners come in bursts. */
  public void announceCustomersSoon() {
    if (announcing.compareAndSet(false, true)) {
      CompletableFuture.delayedExecutor(SOON.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
        announcing.set(false);
        announceCustomers();
      });
    }
  }

  /** {@code name} left the cluster: its customers' sessions are gone. */
  public void nodeLeft(String name) {
    presence.nodeGone(name);
  }

  /** This node has taken the center up: every other node's agents of it tell its routing they are at work. */
  public void centerTaken(long centerId) {
    broadcast(envelope("taken").put("center", centerId));
  }

  private ObjectNode signal(String kind, long conversationId, long customerId, Long agentId, SenderKind from) {
    ObjectNode s = envelope(kind);
    s.put("conversation", conversationId);
    s.put("customer", customerId);
    if (agentId != null) {
      s.put("agent", agentId);
    }
    s.put("from", from.name());
    return s;
  }

  private ObjectNode presence(String kind, long customerId) {
    return envelope(kind).put("customer", customerId);
  }

  private ObjectNode envelope(String kind) {
    ObjectNode s = json.createObjectNode();
    s.put("v", VERSION);
    s.put("node", node);
    s.put("kind", kind);
    return s;
  }

  private void broadcast(ObjectNode signal) {
    try {
      nats.publish(SUBJECT, json.writeValueAsBytes(signal));
    } catch (JsonProcessingException | IllegalStateException e) {
      // IllegalStateException: the connection is closed (this node is stopping).
      log.debug("signal not broadcast: {}", e.getMessage());
    }
  }

  private void receive(Message message) {
    try {
      JsonNode s = json.readTree(message.getData());
      if (s == null || !s.isObject() || s.path("v").asInt() != VERSION) {
        drop("of another format version or not an object");
        return;
      }
      if (node.equals(s.path("node").asText())) {
        return;
      }
      apply(s);
    } catch (IOException | IllegalArgumentException e) {
      drop(e.getMessage());
    }
  }

  private void apply(JsonNode s) {
    String kind = s.path("kind").asText();
    String from = s.path("node").asText();
    if (from.isEmpty()) {
      throw new IllegalArgumentException("no node");
    }
    if (kind.equals("taken")) {
      centerTaken.accept(number(s, "center"));
      announceCustomersSoon();
      return;
    }
    if (kind.equals("present")) {
      present(from, s);
      return;
    }
    long customerId = number(s, "customer");
    switch (kind) {
      case "online" -> presence.elsewhere(customerId, from, true);
      case "offline" -> presence.elsewhere(customerId, from, false);
      case "typing" -> sessionsHere.typing(number(s, "conversation"), customerId, agent(s), from(s));
      case "read" -> sessionsHere.read(number(s, "conversation"), customerId, agent(s), from(s), number(s, "seq"));
      default -> drop("unknown kind " + kind);
    }
  }

  /**
   * A batch of another node's snapshot: its customers are present there at once; with its last batch, the
   * customers that node had and the snapshot does not name are not any more.
   */
  private void present(String from, JsonNode s) {
    long snapshot = number(s, "epoch");
    JsonNode ids = s.path("customers");
    if (!ids.isArray() || !s.path("last").isBoolean()) {
      throw new IllegalArgumentException("no customers or no last");
    }
    for (JsonNode id : ids) {
      if (!id.canConvertToLong()) {
        throw new IllegalArgumentException("a customer that is not a number");
      }
    }
    Snapshot taking = receiving.get(from);
    if (taking == null || taking.epoch() < snapshot) {
      taking = new Snapshot(snapshot, new HashSet<>());
      receiving.put(from, taking);
    } else if (taking.epoch() > snapshot) {
      return;
    }
    for (JsonNode id : ids) {
      taking.customers().add(id.asLong());
      presence.elsewhere(id.asLong(), from, true);
    }
    if (s.path("last").asBoolean()) {
      receiving.remove(from);
      presence.onlyThese(from, taking.customers());
    }
  }

  private static long number(JsonNode s, String field) {
    JsonNode value = s.get(field);
    if (value == null || !value.canConvertToLong()) {
      throw new IllegalArgumentException("no number " + field);
    }
    return value.asLong();
  }

  private static Long agent(JsonNode s) {
    return s.hasNonNull("agent") ? number(s, "agent") : null;
  }

  private static SenderKind from(JsonNode s) {
    return SenderKind.valueOf(s.path("from").asText());
  }

  private void drop(String why) {
    dropped.increment();
    log.debug("dropped a signal from another node: {}", why);
  }

  /** Where customers' sessions are, as a node keeps it (its clocks decide by it). */
  public interface Presence {
    /** A session of the customer opened on this node. */
    void connected(long customerId);

    /** A session of the customer closed on this node. */
    void disconnected(long customerId);

    /** {@code node} has sessions of the customer ({@code present}), or none any more. */
    void elsewhere(long customerId, String node, boolean present);

    /** {@code node} has sessions of these customers and no others (a whole snapshot of it). */
    void onlyThese(String node, Set<Long> customers);

    /** {@code node} left the cluster. */
    void nodeGone(String node);
  }

  @Override
  public void close() {
    if (dispatcher != null) {
      nats.closeDispatcher(dispatcher);
    }
  }
}
