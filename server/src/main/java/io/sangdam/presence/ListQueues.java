package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@code queues}: the center's inquiry types (enabled queues) and whether it is open, for the widget's first screen. */
final class ListQueues implements FrameHandler<CustomerSession> {
  private final Directory directory;
  private final Clock clock;
  private final Executor blocking;

  ListQueues(Directory directory, Clock clock, Executor blocking) {
    this.directory = directory;
    this.clock = clock;
    this.blocking = blocking;
  }

  @Override
  public void handle(CustomerSession session, Fields f, JsonNode rid) {
    CustomerSession.Identity who = session.identity();
    session.reply(rid, CompletableFuture.supplyAsync(() -> {
      Center center = directory.center(who.center().id()).orElseThrow();
      Instant now = clock.instant();
      boolean open = center.isOpen(now);
      String opensAt = open ? null : center.hours().nextOpening(now).map(Instant::toString).orElse(null);
      return new ServerMessage.Queues(rid, center.name(), open, opensAt,
          open ? null : center.hours().outOfHours().name(), directory.queues(center.id()).stream()
              .filter(Queue::enabled).map(q -> new ServerMessage.QueueChoice(q.code(), q.name())).toList(),
          opensAt == null ? null : center.hours().zone().getId());
    }, blocking), session::send);
  }
}
