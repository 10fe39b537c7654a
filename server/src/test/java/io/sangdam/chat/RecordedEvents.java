package io.sangdam.chat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The bus for unit tests: delivers at once, on the publisher's thread, and keeps what was published. */
final class RecordedEvents implements ConversationEvents {
  final List<ConversationEvent> published = new CopyOnWriteArrayList<>();
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  @Override
  public void publish(ConversationEvent event) {
    published.add(event);
    subscribers.forEach(s -> s.on(event));
  }

  @Override
  public void subscribe(Subscriber subscriber) {
    subscribers.add(subscriber);
  }

  /** The kinds published, in order, e.g. [MessageStored, Closed]. */
  List<String> kinds() {
    return published.stream().map(e -> e.getClass().getSimpleName()).toList();
  }

  <T extends ConversationEvent> List<T> of(Class<T> kind) {
    return published.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  void clear() {
    published.clear();
  }
}
