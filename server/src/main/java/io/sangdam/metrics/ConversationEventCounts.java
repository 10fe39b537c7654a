package io.sangdam.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationEvents;
import java.util.Locale;

/**
 * Counts the conversation events delivered on this node, by type ({@code message_stored},
 * {@code closed}...): {@code sangdam_conversation_events_total{type}}.
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

  public ConversationEventCounts(MeterRegistry meters) {
    this.meters = requireNonNull(meters, "meters");
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
