package io.sangdam.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The counters of conversation events between nodes: {@code sangdam_cluster_events_sent_total},
 * {@code _received_total}, {@code _duplicates_total}, {@code _publish_failures_total} and
 * {@code _dropped_total{reason}}, every reason registered at start so a dashboard shows zeros.
 */
final class BusMeters {
  /** A reason of the drop counter besides the codec's: an event of this node the stream never stored. */
  static final String UNPUBLISHED = "unpublished";

  private final Counter sent;
  private final Counter received;
  private final Counter duplicates;
  private final Counter publishFailures;
  private final Map<String, Counter> dropped;

  BusMeters(MeterRegistry meters) {
    sent = Counter.builder("sangdam.cluster.events.sent")
        .description("conversation events of this node stored in the stream for the other nodes").register(meters);
    received = Counter.builder("sangdam.cluster.events.received")
        .description("other nodes' conversation events handed to this node's subscribers").register(meters);
    duplicates = Counter.builder("sangdam.cluster.events.duplicates")
        .description("other nodes' messages skipped because this node had delivered their seq already").register(meters);
    publishFailures = Counter.builder("sangdam.cluster.events.publish.failures")
        .description("attempts to store an event in the stream that failed (retried until given up)").register(meters);
    dropped = Stream.concat(Stream.of(EventCodec.Unreadable.Reason.values()).map(EventCodec.Unreadable.Reason::tag),
            Stream.of(UNPUBLISHED))
        .collect(Collectors.toUnmodifiableMap(Function.identity(), reason -> Counter.builder("sangdam.cluster.events.dropped")
            .tag("reason", reason)
            .description("bus messages dropped: unreadable by this node, or events of this node never stored")
            .register(meters)));
  }

  void sent() {
    sent.increment();
  }

  void received() {
    received.increment();
  }

  void duplicate() {
    duplicates.increment();
  }

  void publishFailed() {
    publishFailures.increment();
  }

  void dropped(String reason) {
    dropped.get(reason).increment();
  }
}
