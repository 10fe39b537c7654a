package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.nats.client.ConsumeOptions;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.InProcessConversationEvents;
import io.sangdam.cluster.EventCodec.Envelope;
import io.sangdam.cluster.EventCodec.Unreadable;
import io.sangdam.threads.HotThreads;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Reads the other nodes' events from the stream and hands them to this node's remote subscribers,
 * through per-conversation lanes ({@code remote}), so a slow conversation never holds up the others.
 *
 * <p>One ordered consumer reads the whole stream from where it was when this node started: this
 * node's own events are passed over (its subscribers had them when they were published), a message
 * this node cannot read is counted and dropped, and a stored message whose (conversation, seq) was
 * delivered already is skipped: the same message from a retry after the duplicate window, or from
 * a second owner of its center after a failover. The ordered consumer survives a NATS reconnect or
 * restart by starting again after the last message it read; what the stream no longer has (it keeps
 * {@link EventStream#MAX_AGE}) is never delivered here, and the clients' resume replays it from the
 * database.
 */
final class InboundEvents implements AutoCloseable {
  /** How long a delivered (conversation, seq) is remembered: longer than the stream keeps any message. */
  static final Duration REMEMBERED = EventStream.MAX_AGE.multipliedBy(2);
  /** How many are remembered at most: a few minutes of a busy cluster; memory stays bounded. */
  static final long MOST_REMEMBERED = 200_000;
  /**
   * Each pull of the consumer lasts this long, and the server sends a heartbeat every half of it:
   * after a few missed (a NATS restart, a lost connection) the client makes the ordered consumer
   * again, after the last message read. The default (30 s) would leave the bus silent for a minute.
   */
  static final Duration PULL_EXPIRY = Duration.ofSeconds(4);

  /** After a reconnect, the consumer is made again; if that fails (JetStream still starting), it is tried again after this. */
  private static final Duration RESUBSCRIBE_RETRY = Duration.ofSeconds(1);

  private final Connection nats;
  private final EventCodec codec;
  private final String node;
  private final InProcessConversationEvents remote;
  private final StreamWatermark watermark;
  private final BusMeters meters;
  private final ThrottledLog warnings;
  private final Cache<Delivered, Boolean> delivered;
  private final ScheduledThreadPoolExecutor resubscribing;
  private final ConnectionListener reconnects = (connection, event) -> {
    if (event == ConnectionListener.Events.RECONNECTED) {
      resubscribeSoon(0);
    }
  };
  /** The last stream sequence read; guarded by this, as everything below. */
  private long lastRead;
  /** Which consumer is current: messages a replaced one still hands in are ignored. */
  private int generation;
  private MessageConsumer consumer;
  private boolean closed;

  private record Delivered(long conversationId, long seq) {}

  InboundEvents(Connection nats, EventCodec codec, String node, InProcessConversationEvents remote,
      StreamWatermark watermark, BusMeters meters, ThrottledLog warnings, Ticker ticker) {
    this.nats = requireNonNull(nats, "nats");
    this.codec = requireNonNull(codec, "codec");
    this.node = requireNonNull(node, "node");
    this.remote = requireNonNull(remote, "remote");
    this.watermark = requireNonNull(watermark, "watermark");
    this.meters = requireNonNull(meters, "meters");
    this.warnings = requireNonNull(warnings, "warnings");
    this.delivered = Caffeine.newBuilder().maximumSize(MOST_REMEMBERED).expireAfterWrite(REMEMBERED)
        .ticker(ticker).executor(Runnable::run).build();
    this.resubscribing = new ScheduledThreadPoolExecutor(1, HotThreads.named("cluster-consumer"));
    resubscribing.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Starts reading with the message after stream sequence {@code after}. */
  void start(long after) throws IOException, JetStreamApiException {
    synchronized (this) {
      lastRead = after;
    }
    watermark.startAfter(after);
    subscribe();
    nats.addConnectionListener(reconnects);
  }

  /**
   * A new ordered consumer from the message after the last one read. The client makes its ordered
   * consumer again by itself when heartbeats stop, but only after several are missed, and not
   * always after a server restart: after a reconnect this does it at once.
   */
  private void subscribe() throws IOException, JetStreamApiException {
    MessageConsumer replaced;
    int current;
    long from;
    synchronized (this) {
      replaced = consumer;
      consumer = null;
      current = ++generation;
      from = lastRead + 1;
    }
    // Outside the lock, which the replaced consumer's thread may be waiting for.
    stop(replaced);
    MessageConsumer started = nats.getStreamContext(EventStream.NAME).createOrderedConsumer(
            new OrderedConsumerConfiguration().filterSubject(EventStream.SUBJECTS)
                .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(from))
        .consume(ConsumeOptions.builder().expiresIn(PULL_EXPIRY.toMillis()).build(), m -> read(current, m));
    synchronized (this) {
      if (!closed && generation == current) {
        consumer = started;
        return;
      }
    }
    stop(started);
  }

  private void resubscribeSoon(long delayMillis) {
    try {
      resubscribing.schedule(() -> {
        try {
          if (!isClosed()) {
            subscribe();
          }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
          warnings.warn("resubscribe", "cannot read " + EventStream.NAME + " again after a reconnect (" + e
              + "); trying again");
          resubscribeSoon(RESUBSCRIBE_RETRY.toMillis());
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      // Closed: nothing more to read.
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /**
   * On a consumer's thread, in stream order. Under the lock: a replaced consumer may still be
   * handing in a message while its successor starts, and the watermark needs them one at a time.
   */
  private synchronized void read(int fromGeneration, Message message) {
    long sequence = message.metaData().streamSequence();
    if (fromGeneration != generation || sequence <= lastRead) {
      return;
    }
    lastRead = sequence;
    watermark.read(sequence, handOn(message, sequence));
  }

  /** The stage of the message's delivery to the remote subscribers; done at once for one that is not delivered. */
  private CompletableFuture<Void> handOn(Message message, long sequence) {
    Envelope envelope;
    try {
      envelope = codec.read(message.getData());
    } catch (RuntimeException e) {
      // Unreadable says why; anything else the codec throws is a message it could not make sense of either.
      String reason = (e instanceof Unreadable u ? u.reason() : Unreadable.Reason.MALFORMED).tag();
      meters.dropped(reason);
      warnings.warn(reason, "dropped the bus message at " + EventStream.NAME + " sequence " + sequence + " on "
          + message.getSubject() + " (" + reason + "): " + (e instanceof Unreadable ? e.getMessage() : e.toString()));
      return CompletableFuture.completedFuture(null);
    }
    if (node.equals(envelope.node())) {
      return CompletableFuture.completedFuture(null);
    }
    if (envelope.event() instanceof ConversationEvent.MessageStored m
        && delivered.asMap().putIfAbsent(new Delivered(m.conversationId(), m.message().seq()), Boolean.TRUE) != null) {
      meters.duplicate();
      return CompletableFuture.completedFuture(null);
    }
    meters.received();
    return remote.publish(envelope.event());
  }

  @Override
  public void close() {
    nats.removeConnectionListener(reconnects);
    resubscribing.shutdownNow();
    MessageConsumer last;
    synchronized (this) {
      closed = true;
      generation++;
      last = consumer;
      consumer = null;
    }
    stop(last);
  }

  private void stop(MessageConsumer c) {
    if (c == null) {
      return;
    }
    c.stop();
    try {
      c.close();
    } catch (Exception e) {
      // Going on anyway: the server removes an ordered consumer nobody reads.
      warnings.warn("close", "closing the event consumer: " + e);
    }
  }
}
