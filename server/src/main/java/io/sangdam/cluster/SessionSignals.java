package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.sangdam.chat.SenderKind;
import io.sangdam.presence.OtherSide;
import java.io.IOException;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What sessions tell each other without storing it, across nodes: typing, read up to a seq, a
 * customer's sessions coming and going (the owner of their conversation starts or stops the grace
 * period by them), and a center taken up by a new owner (whose fresh routing must learn again who is
 * at work on every node). Each node tells its own sessions and broadcasts on {@code sangdam.signals}; every
 * other node tells its sessions too. At most once: a signal lost while NATS is away is not missed
 * for long (typing repeats, read is sent again with the next message, a customer's presence is told
 * again when their next session comes or goes).
 */
public final class SessionSignals implements OtherSide, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionSignals.class);
  /** The format of signals; a node drops a signal of another version. */
  public static final int VERSION = 1;
  static final String SUBJECT = "sangdam.signals";

  private final Connection nats;
  private final String node;
  private final OtherSide sessionsHere;
  private final LongConsumer customerOnline;
  private final LongConsumer customerOffline;
  private final LongConsumer centerTaken;
  private final ObjectMapper json = ClusterJson.mapper();
  private final Counter dropped;
  private Dispatcher dispatcher;

  /**
   * @param sessionsHere this node's sessions
   * @param customerOnline told when one of a customer's sessions opens, on any node
   * @param customerOffline told when one of a customer's sessions closes, on any node
   * @param centerTaken told when a node has taken a center up: this node's agents of it at work tell its new
   *     routing again
   */
  public SessionSignals(Connection nats, String node, OtherSide sessionsHere, LongConsumer customerOnline,
      LongConsumer customerOffline, LongConsumer centerTaken, MeterRegistry registry) {
    this.nats = requireNonNull(nats, "nats");
    this.node = requireNonNull(node, "node");
    this.sessionsHere = requireNonNull(sessionsHere, "sessionsHere");
    this.customerOnline = requireNonNull(customerOnline, "customerOnline");
    this.customerOffline = requireNonNull(customerOffline, "customerOffline");
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

  /** A session of the customer opened on this node. */
  public void customerConnected(long customerId) {
    customerOnline.accept(customerId);
    broadcast(presence("online", customerId));
  }

  /** A session of the customer closed on this node. */
  public void customerDisconnected(long customerId) {
    customerOffline.accept(customerId);
    broadcast(presence("offline", customerId));
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
    if (kind.equals("taken")) {
      centerTaken.accept(number(s, "center"));
      return;
    }
    long customerId = number(s, "customer");
    switch (kind) {
      case "online" -> customerOnline.accept(customerId);
      case "offline" -> customerOffline.accept(customerId);
      case "typing" -> sessionsHere.typing(number(s, "conversation"), customerId, agent(s), from(s));
      case "read" -> sessionsHere.read(number(s, "conversation"), customerId, agent(s), from(s), number(s, "seq"));
      default -> drop("unknown kind " + kind);
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

  @Override
  public void close() {
    if (dispatcher != null) {
      nats.closeDispatcher(dispatcher);
    }
  }
}
