package io.sangdam.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.presence.Sessions;
import io.sangdam.routing.CenterLoad;
import io.sangdam.routing.Routing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sangdam's live meters: sessions by kind, TCP connections, routing decisions, and the
 * conversations waiting per center. The waiting figures come from the routing engines, read by
 * {@link #refreshWaiting()} (every few seconds, off the engines' threads), never from the database.
 */
public final class LiveMeters {
  private static final Logger log = LoggerFactory.getLogger(LiveMeters.class);
  private static final long ENGINE_TIMEOUT_MILLIS = 2_000;

  private final Routing routing;
  private final Directory directory;
  private final MultiGauge waiting;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  /** The last figure of each center, kept when its engine is late. Touched by one round at a time. */
  private final Map<Long, Integer> lastWaiting = new HashMap<>();

  public LiveMeters(MeterRegistry meters, Sessions sessions, Routing routing, Directory directory,
      IntSupplier connections) {
    this.routing = routing;
    this.directory = directory;
    Gauge.builder("sangdam.sessions", sessions, s -> s.sessionCount(true)).tag("kind", "customer")
        .description("open customer sessions (one per widget connection that said hello)").register(meters);
    Gauge.builder("sangdam.sessions", sessions, s -> s.sessionCount(false)).tag("kind", "agent")
        .description("open console sessions of agents, managers and admins").register(meters);
    // Held strongly: a gauge keeps only a weak reference to its object, and nothing else holds this lambda.
    Gauge.builder("sangdam.connections", connections, IntSupplier::getAsInt).strongReference(true)
        .description("open TCP connections: HTTP keep-alive and WebSockets").register(meters);
    FunctionCounter.builder("sangdam.routing.decisions", routing, Routing::decisions)
        .description("assignments decided by routing or picked by agents").register(meters);
    this.waiting = MultiGauge.builder("sangdam.waiting")
        .description("conversations waiting for an agent, per center").register(meters);
  }

  /**
   * Reads every engine's waiting count, all asked at once and awaited together for at most 2 s; a
   * center whose engine does not answer in time keeps its last figure. A round still running when
   * the next is due lets that one pass.
   */
  public void refreshWaiting() {
    if (!refreshing.compareAndSet(false, true)) {
      return;
    }
    try {
      Map<Long, CompletableFuture<CenterLoad>> loads = new HashMap<>();
      routing.centers().forEach(id -> loads.put(id, routing.load(id)));
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ENGINE_TIMEOUT_MILLIS);
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      loads.forEach((centerId, load) -> {
        Optional<Center> center = directory.center(centerId);
        Optional<Tenant> tenant = center.flatMap(c -> directory.tenant(c.tenantId()));
        if (tenant.isEmpty()) {
          return;
        }
        try {
          int count = load.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).queues().stream()
              .mapToInt(CenterLoad.QueueLoad::waiting).sum();
          lastWaiting.put(centerId, count);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          // Late or failed this round: the last figure stands.
        }
        Integer count = lastWaiting.get(centerId);
        if (count != null) {
          rows.add(MultiGauge.Row.of(Tags.of("tenant", tenant.get().code(), "center", center.get().code()), count));
        }
      });
      waiting.register(rows, true);
    } catch (RuntimeException e) {
      log.warn("the waiting figures were not refreshed: {}", e.getMessage());
    } finally {
      refreshing.set(false);
    }
  }
}
