package io.sangdam.dashboard;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ServerMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consoles subscribed to the live dashboard. Once a second ({@link #tick()}) each distinct
 * subject's view is built once and sent to the consoles that watch it, when it differs from what
 * each was last sent: a quiet center costs its watchers nothing.
 */
public final class DashboardFeed {
  private static final Logger log = LoggerFactory.getLogger(DashboardFeed.class);

  private final Dashboard dashboard;
  private final Map<Long, Subscriber> subscribers = new ConcurrentHashMap<>();
  /** A slow tick is not overtaken by the next one: views are sent in the order they were taken. */
  private final AtomicBoolean ticking = new AtomicBoolean();

  public DashboardFeed(Dashboard dashboard) {
    this.dashboard = requireNonNull(dashboard, "dashboard");
  }

  private static final class Subscriber {
    final Dashboard.Subject subject;
    final Consumer<ServerMessage.Dashboard> sink;
    /** The tenants of the last view sent (the time it was taken aside): what "changed" compares. */
    volatile List<ServerMessage.DashboardTenant> lastSent;

    Subscriber(Dashboard.Subject subject, Consumer<ServerMessage.Dashboard> sink,
        List<ServerMessage.DashboardTenant> lastSent) {
      this.subject = subject;
      this.sink = sink;
      this.lastSent = lastSent;
    }
  }

  /** The session {@code sessionId} watches {@code subject}, having been sent {@code first}; a second call replaces the first. */
  public void subscribe(long sessionId, Dashboard.Subject subject, ServerMessage.Dashboard first,
      Consumer<ServerMessage.Dashboard> sink) {
    subscribers.put(sessionId, new Subscriber(subject, sink, first.tenants()));
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
    subscribers.forEach((id, s) -> {
      try {
        ServerMessage.Dashboard view = views.computeIfAbsent(s.subject, subject -> dashboard.view(subject, null));
        if (!Objects.equals(view.tenants(), s.lastSent)) {
          s.lastSent = view.tenants();
          s.sink.accept(view);
        }
      } catch (RuntimeException e) {
        log.warn("dashboard for session {} failed: {}", id, e.toString());
      }
    });
  }
}
