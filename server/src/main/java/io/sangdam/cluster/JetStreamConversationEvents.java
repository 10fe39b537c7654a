package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationEvents;
import io.sangdam.chat.InProcessConversationEvents;
import io.sangdam.protocol.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The bus of a node in a cluster: an event published here reaches this node's subscribers exactly
 * as on a single node ({@link InProcessConversationEvents}), and is stored in the JetStream stream
 * {@code SANGDAM_EVENTS} for the other nodes ({@link OutboundEvents}); the other nodes' events come
 * back from the stream to a second set of subscribers, {@link #subscribeRemote} ({@link InboundEvents}),
 * each conversation's in order and on lanes of their own. The two sets are apart because the two
 * kinds differ: a local subscriber sees every change made here (webhooks, metrics), a remote one
 * only pushes to this node's sessions what another node did.
 *
 * <p>For an answer across nodes that must not overtake a push: the owner answers with
 * {@link #published}'s stream sequence, and the asking node waits for
 * {@link #deliveredThrough} of it before it answers its session.
 */
public final class JetStreamConversationEvents implements ConversationEvents, AutoCloseable {
  /** At most one warning of a kind (a bad message, a failed publish) per this, with how many more came. */
  private static final Duration WARN_EVERY = Duration.ofSeconds(10);

  private final Connection nats;
  private final InProcessConversationEvents local;
  private final InProcessConversationEvents remote;
  private final OutboundEvents outbound;
  private final InboundEvents inbound;
  private final StreamWatermark watermark = new StreamWatermark();
  private final ThrottledLog orderWarnings;

  /**
   * {@code node} names this node in every message (unique in the cluster: its own messages come back
   * and are recognised by it); {@code lanes} delivers to both sets of subscribers. Nothing is read
   * or written on NATS before {@link #start()}.
   */
  public JetStreamConversationEvents(Connection nats, String node, Json json, Executor lanes, MeterRegistry meters,
      Ticker ticker) {
    this.nats = requireNonNull(nats, "nats");
    requireNonNull(node, "node");
    EventCodec codec = new EventCodec(json);
    BusMeters counters = new BusMeters(requireNonNull(meters, "meters"));
    this.local = new InProcessConversationEvents(lanes);
    this.remote = new InProcessConversationEvents(lanes);
    try {
      this.outbound = new OutboundEvents(nats.jetStream(), codec, node, counters,
          new ThrottledLog(LoggerFactory.getLogger(OutboundEvents.class), WARN_EVERY, ticker), ticker);
    } catch (IOException e) {
      // Only thrown for bad JetStream options, and these are the defaults.
      throw new IllegalStateException("cannot use JetStream", e);
    }
    this.orderWarnings = new ThrottledLog(LoggerFactory.getLogger(JetStreamConversationEvents.class), WARN_EVERY,
        ticker);
    this.inbound = new InboundEvents(nats, codec, node, remote, watermark, counters,
        new ThrottledLog(LoggerFactory.getLogger(InboundEvents.class), WARN_EVERY, ticker), ticker);
  }

  /**
   * Creates the stream if it is missing and starts reading the other nodes' events published from
   * now on. Subscribe before: an event read before a subscriber is there is not delivered to it.
   */
  public void start() throws IOException {
    try {
      long last = EventStream.ensure(nats.jetStreamManagement()).getStreamState().getLastSequence();
      inbound.start(last);
    } catch (JetStreamApiException e) {
      throw new IOException("cannot set up the stream " + EventStream.NAME + ": " + e.getMessage(), e);
    }
  }

  /**
   * Delivers {@code event} to this node's subscribers and stores it in the stream for the others;
   * returns at once, never throws. The stage completes once every local subscriber had it, as on
   * one node; for the other nodes, see {@link #published}.
   */
  @Override
  public CompletableFuture<Void> publish(ConversationEvent event) {
    CompletableFuture<Void> delivered = local.publish(event);
    outbound.publish(event);
    return delivered;
  }

  /** {@code subscriber} gets every event published on this node. */
  @Override
  public void subscribe(Subscriber subscriber) {
    local.subscribe(subscriber);
  }

  /**
   * {@code subscriber} gets every event the other nodes publish, each conversation's in their
   * order, a stored message once per (conversation, seq). Subscribe before {@link #start()}.
   */
  public void subscribeRemote(Subscriber subscriber) {
    remote.subscribe(subscriber);
  }

  /**
   * Completes, once every event of {@code conversationId} published on this node before the call is
   * in the stream (or was given up), with a stream sequence at or after all of them: what the owner
   * of a conversation answers a forwarded call with. Completes at once when none is on its way; after
   * {@code atMost} (NATS slow or away) with 0, which orders nothing, and says so in the log.
   */
  public CompletableFuture<Long> published(long conversationId, Duration atMost) {
    return bounded(outbound.stored(conversationId), atMost, 0L, "published", () -> "the events of conversation "
        + conversationId + " were not all in " + EventStream.NAME + " within " + atMost.toMillis()
        + " ms: what waited for them (an answer to another node, a hand-over) went on, and may overtake them there");
  }

  /**
   * Completes once this node has handed every other node's event up to {@code streamSequence} to
   * its remote subscribers (each conversation's through its lane): a node answering its session
   * after a forwarded call waits for this with the owner's sequence, so the answer never overtakes
   * a push that came before it. After {@code atMost} (NATS slow or away) it completes all the same,
   * and says so in the log.
   */
  public CompletableFuture<Void> deliveredThrough(long streamSequence, Duration atMost) {
    return bounded(watermark.reached(streamSequence), atMost, null, "delivered", () -> "the other nodes' events "
        + "up to " + EventStream.NAME + " sequence " + streamSequence + " were not all delivered here within "
        + atMost.toMillis() + " ms: a session answered before their pushes");
  }

  /** {@code wait}, or {@code otherwise} once {@code atMost} has passed: a breach of order, warned of. */
  private <T> CompletableFuture<T> bounded(CompletableFuture<T> wait, Duration atMost, T otherwise, String kind,
      Supplier<String> breach) {
    return wait.orTimeout(atMost.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> {
      if (!(e instanceof TimeoutException)) {
        throw new CompletionException(e);
      }
      orderWarnings.warn(kind, breach.get());
      return otherwise;
    });
  }

  /**
   * Conversations with events on their way: to this node's subscribers, to the stream, or from it
   * to the remote subscribers; 0 once everything published here and read from the stream is delivered.
   */
  public int backlog() {
    return local.backlog() + outbound.backlog() + remote.backlog();
  }

  /**
   * Stops: the events still on their way to the stream get a moment (OutboundEvents.DRAIN), the
   * consumer stops, and whoever still waits for a delivery is let go. The connection stays open:
   * it is its owner's to close.
   */
  @Override
  public void close() {
    outbound.close();
    inbound.close();
    watermark.close();
    remote.close();
    local.close();
  }
}
