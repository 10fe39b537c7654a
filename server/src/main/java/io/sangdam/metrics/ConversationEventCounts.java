package io.sangdam.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationEvents;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * Counts the conversation events delivered on this node, by type ({@code message_stored},
 * {@code closed}...): {@code sangdam_conversation_events_total{type}}; and shows how many
 * conversations have events not yet delivered: {@code sangdam_conversation_events_backlog}.
 */
public final class ConversationEventCounts implements ConversationEvents.Subscriber {
  private final MeterRegistry meters;
  /** One counter per event type, found without a registry look-up on every event. */
  private final ClassValue<Counter> counters = new ClassValue<>() {
    @Override
    protected Counter computeValue(Class<?> type) {
      return Counter.builder("sangdam.conversation.events").tag("type", typeName(type))
          .description("conversation events delivered on this node, by type").register(meters);
    }
  };

  /** {@code backlog}: the conversations whose events wait for delivery (a subscriber that keeps up leaves it near 0). */
  public ConversationEventCounts(MeterRegistry meters, IntSupplier backlog) {
    this.meters = requireNonNull(meters, "meters");
    requireNonNull(backlog, "backlog");
    Gauge.builder("sangdam.conversation.events.backlog", backlog::getAsInt)
        .description("conversations whose events are waiting for delivery on this node").register(meters);
  }

  @Override
  public void on(ConversationEvent event) {
    counters.get(event.getClass()).increment();
  }

  /** MessageStored -> message_stored. */
  static String typeName(Class<?> type) {
    return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
