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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Sangdam's live meters: sessions by kind, TCP connections, routing decisions, and the
 * conversations waiting per center. The waiting figures come from the routing engines, read by
 * {@link #refreshWaiting()} (every few seconds, off the engines' threads), never from the database.
 */
public final class LiveMeters {
  private static final long ENGINE_TIMEOUT_MILLIS = 2_000;

  private final Routing routing;
  private final Directory directory;
  private final MultiGauge waiting;

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

  /** Reads every engine's waiting count; a center whose engine does not answer in time is left out this round. */
  public void refreshWaiting() {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (long centerId : routing.centers()) {
      Optional<Center> center = directory.center(centerId);
      Optional<Tenant> tenant = center.flatMap(c -> directory.tenant(c.tenantId()));
      if (tenant.isEmpty()) {
        continue;
      }
      try {
        CenterLoad load = routing.load(centerId).get(ENGINE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        int count = load.queues().stream().mapToInt(CenterLoad.QueueLoad::waiting).sum();
        rows.add(MultiGauge.Row.of(Tags.of("tenant", tenant.get().code(), "center", center.get().code()), count));
      } catch (Exception e) {
        // The dashboard shows such a center empty; the metric simply skips a round.
      }
    }
    waiting.register(rows, true);
  }
}
