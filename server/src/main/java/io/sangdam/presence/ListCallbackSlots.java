package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.callback.CallbackSlots;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@code callbackSlots}: the times the customer's center may call them back, for the widget's callback form. */
final class ListCallbackSlots implements FrameHandler<CustomerSession> {
  private final Directory directory;
  private final Clock clock;
  private final Executor blocking;

  ListCallbackSlots(Directory directory, Clock clock, Executor blocking) {
    this.directory = directory;
    this.clock = clock;
    this.blocking = blocking;
  }

  @Override
  public void handle(CustomerSession session, Fields f, JsonNode rid) {
    CustomerSession.Identity who = session.identity();
    session.reply(rid, CompletableFuture.supplyAsync(() -> {
      Center center = directory.center(who.center().id()).orElseThrow();
      return new ServerMessage.CallbackSlots(rid, (int) CallbackSlots.SLOT.toMinutes(),
          CallbackSlots.offered(center, clock.instant()).stream().map(Instant::toString).toList(),
          CallbackSlots.zone(center).getId());
    }, blocking), session::send);
  }
}
