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
import io.sangdam.routing.CenterLoad;
import io.sangdam.routing.CenterLoads;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every center's live state on every node, for the dashboards: each node publishes the state of the
 * centers it owns every {@link #EVERY} on {@code sangdam.loads}, and keeps the latest of every other
 * node's. A center whose state is older than {@link #STALE} (its owner died, or NATS is away) shows
 * empty rather than old figures; once another node owns it, its state is back within a second.
 */
public final class CenterLoadBoard implements CenterLoads, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CenterLoadBoard.class);
  public static final int VERSION = 1;
  /** How often an owner publishes its centers' state: the dashboards' own pace. */
  public static final Duration EVERY = Duration.ofSeconds(1);
  static final Duration STALE = Duration.ofSeconds(3);
  static final String SUBJECT = "sangdam.loads";

  private final Connection nats;
  private final String node;
  private final CenterLoads here;
  private final Supplier<Set<Long>> ownedHere;
  private final LongSupplier nanoTime;
  private final ObjectMapper json = ClusterJson.mapper();
  private final Map<Long, Received> others = new ConcurrentHashMap<>();
  private final Counter dropped;
  private Dispatcher dispatcher;

  /**
   * @param here this node's routing engines
   * @param ownedHere the centers this node owns now
   */
  public CenterLoadBoard(Connection nats, String node, CenterLoads here, Supplier<Set<Long>> ownedHere,
      LongSupplier nanoTime, MeterRegistry registry) {
    this.nats = requireNonNull(nats, "nats");
    this.node = requireNonNull(node, "node");
    this.here = requireNonNull(here, "here");
    this.ownedHere = requireNonNull(ownedHere, "ownedHere");
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    this.dropped = Counter.builder("sangdam_cluster_loads_dropped")
        .description("Center states from other nodes dropped: malformed or of another format version")
        .register(registry);
  }

  public void start() {
    dispatcher = nats.createDispatcher(this::receive);
    dispatcher.subscribe(SUBJECT);
  }

  @Override
  public CompletableFuture<CenterLoad> load(long centerId) {
    if (ownedHere.get().contains(centerId)) {
      return here.load(centerId);
    }
    Received r = others.get(centerId);
    boolean fresh = r != null && nanoTime.getAsLong() - r.at < STALE.toNanos();
    return CompletableFuture.completedFuture(fresh ? r.load : CenterLoad.empty(centerId));
  }

  /** Publishes the state of every center this node owns; called every {@link #EVERY}. */
  public void publish() {
    for (long centerId : ownedHere.get()) {
      here.load(centerId).thenAccept(this::publish);
    }
  }

  private void publish(CenterLoad load) {
    ObjectNode message = json.createObjectNode();
    message.put("v", VERSION);
    message.put("node", node);
    message.set("load", json.valueToTree(load));
    try {
      nats.publish(SUBJECT, json.writeValueAsBytes(message));
    } catch (JsonProcessingException | IllegalStateException e) {
      log.debug("center {}'s state not published: {}", load.centerId(), e.getMessage());
    }
  }

  private void receive(Message message) {
    try {
      JsonNode m = json.readTree(message.getData());
      if (m == null || m.path("v").asInt() != VERSION || !m.path("load").isObject()) {
        drop("of another format version, or no load");
        return;
      }
      if (node.equals(m.path("node").asText())) {
        return;
      }
      CenterLoad load = json.treeToValue(m.get("load"), CenterLoad.class);
      if (load.queues() == null || load.agents() == null) {
        drop("incomplete load");
        return;
      }
      others.put(load.centerId(), new Received(load, nanoTime.getAsLong()));
    } catch (IOException | IllegalArgumentException e) {
      drop(e.getMessage());
    }
  }

  private void drop(String why) {
    dropped.increment();
    log.debug("dropped a center's state from another node: {}", why);
  }

  @Override
  public void close() {
    if (dispatcher != null) {
      nats.closeDispatcher(dispatcher);
    }
  }

  private record Received(CenterLoad load, long at) {}
}
