package io.sangdam.chat;

import java.util.concurrent.CompletableFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bus for unit tests: delivers at once, on the publisher's thread, and keeps what was
 * published; while {@link #holdDeliveries()} is on, a publish stays undelivered (its stage
 * incomplete) until {@link #deliverHeld()}, as a busy lane would.
 */
final class RecordedEvents implements ConversationEvents {
  final List<ConversationEvent> published = new CopyOnWriteArrayList<>();
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final List<Runnable> held = new ArrayList<>();
  private boolean holding;

  @Override
  public synchronized CompletableFuture<Void> publish(ConversationEvent event) {
    published.add(event);
    if (holding) {
      CompletableFuture<Void> delivered = new CompletableFuture<>();
      held.add(() -> {
        subscribers.forEach(s -> s.on(event));
        delivered.complete(null);
      });
      return delivered;
    }
    subscribers.forEach(s -> s.on(event));
    return CompletableFuture.completedFuture(null);
  }

  synchronized void holdDeliveries() {
    holding = true;
  }

  /** Delivers what was held, in publish order, and delivers at once again. */
  void deliverHeld() {
    List<Runnable> due;
    synchronized (this) {
      holding = false;
      due = List.copyOf(held);
      held.clear();
    }
    due.forEach(Runnable::run);
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
