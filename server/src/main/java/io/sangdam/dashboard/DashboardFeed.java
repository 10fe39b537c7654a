package io.sangdam.dashboard;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ServerMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consoles subscribed to the live dashboard. At each {@link #tick()} (once a second, and at once
 * when a conversation changes what it counts: {@link DashboardUpdates}) each distinct subject's
 * view is built once and sent to the consoles that watch it, when it differs from what each was
 * last sent and the last send was a second ago or more: a console gets at most one push a second,
 * and a quiet center costs its watchers nothing.
 */
public final class DashboardFeed {
  private static final Logger log = LoggerFactory.getLogger(DashboardFeed.class);

  private static final long PUSH_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Dashboard dashboard;
  private final LongSupplier nanoTime;
  private final Map<Long, Subscriber> subscribers = new ConcurrentHashMap<>();
  /** A slow tick is not overtaken by the next one: views are sent in the order they were taken. */
  private final AtomicBoolean ticking = new AtomicBoolean();

  /** {@code nanoTime}: the clock of the one-push-a-second pace. */
  public DashboardFeed(Dashboard dashboard, LongSupplier nanoTime) {
    this.dashboard = requireNonNull(dashboard, "dashboard");
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
  }

  private static final class Subscriber {
    final Dashboard.Subject subject;
    final Consumer<ServerMessage.Dashboard> sink;
    /** The tenants of the last view sent (the time it was taken aside): what "changed" compares. */
    volatile List<ServerMessage.DashboardTenant> lastSent;
    volatile long lastSentAt;

    Subscriber(Dashboard.Subject subject, Consumer<ServerMessage.Dashboard> sink,
        List<ServerMessage.DashboardTenant> lastSent, long lastSentAt) {
      this.subject = subject;
      this.sink = sink;
      this.lastSent = lastSent;
      this.lastSentAt = lastSentAt;
    }
  }

  /** The session {@code sessionId} watches {@code subject}, having been sent {@code first}; a second call replaces the first. */
  public void subscribe(long sessionId, Dashboard.Subject subject, ServerMessage.Dashboard first,
      Consumer<ServerMessage.Dashboard> sink) {
    subscribers.put(sessionId, new Subscriber(subject, sink, first.tenants(), nanoTime.getAsLong()));
  }

  public void unsubscribe(long sessionId) {
    subscribers.remove(sessionId);
  }

  /** Sends what changed since the last tick. Blocks while views are built; run it off the event loops. */
  public void tick() {
    if (!ticking.compareAndSet(false, true)) {
      return;
    }
    try {
      send();
    } finally {
      ticking.set(false);
    }
  }

  private void send() {
    Map<Dashboard.Subject, ServerMessage.Dashboard> views = new HashMap<>();
    long now = nanoTime.getAsLong();
    subscribers.forEach((id, s) -> {
      if (now - s.lastSentAt < PUSH_GAP_NANOS) {
        return; // sent less than a second ago: the next tick looks again
      }
      try {
        ServerMessage.Dashboard view = views.computeIfAbsent(s.subject, subject -> dashboard.view(subject, null));
        if (!Objects.equals(view.tenants(), s.lastSent)) {
          s.lastSent = view.tenants();
          // When it was sent, not when the tick began: a slow tick must not let the next push come sooner.
          s.lastSentAt = nanoTime.getAsLong();
          s.sink.accept(view);
        }
      } catch (RuntimeException e) {
        log.warn("dashboard for session {} failed: {}", id, e.toString());
      }
    });
  }
}
