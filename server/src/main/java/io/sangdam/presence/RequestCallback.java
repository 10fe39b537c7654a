package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.callback.Callback;
import io.sangdam.callback.Callbacks;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * {@code callback}: the customer asks to be called at one of the center's slots, on a mobile number, for a queue of
 * their center; open or closed. A repeated {@code clientId} answers the first request again.
 */
final class RequestCallback implements FrameHandler<CustomerSession> {
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final Directory directory;
  private final Callbacks callbacks;
  private final Executor blocking;

  RequestCallback(Directory directory, Callbacks callbacks, Executor blocking) {
    this.directory = directory;
    this.callbacks = callbacks;
    this.blocking = blocking;
  }

  @Override
  public void handle(CustomerSession session, Fields f, JsonNode rid) {
    String queueCode = f.slug("queue");
    String clientId = f.string("clientId", 64);
    if (!CLIENT_ID.matcher(clientId).matches()) {
      throw Fields.invalid("clientId", "must be 1 to 64 of A-Z, a-z, 0-9, '.', '_', ':' and '-'");
    }
    String phone = f.string("phone", 40);
    Instant slot = instant(f.string("slot", 64));
    String note = f.optString("note", 1000).map(String::strip).filter(n -> !n.isEmpty()).orElse(null);
    CustomerSession.Identity who = session.identity();
    session.reply(rid, CompletableFuture.supplyAsync(() -> {
      // Checked here, not only at hello: a tenant or center disabled since takes no new requests.
      Queue q = directory.queue(who.center().id(), queueCode).filter(Queue::enabled)
          .filter(x -> directory.tenant(who.tenant().id()).map(t -> t.status().equals("ACTIVE")).orElse(false))
          .orElseThrow(() -> SangdamException.notFound("queue '" + queueCode + "'"));
      Center center = directory.center(q.centerId()).filter(Center::enabled)
          .orElseThrow(() -> SangdamException.notFound("queue '" + queueCode + "'"));
      return callbacks.request(center, q, who.customerId(), null, clientId, phone, slot, note);
    }, blocking), (Callback c) -> session.send(new ServerMessage.CallbackStored(rid, c.id(), c.slotAt().toString())));
  }

  private static Instant instant(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeException e) {
      throw Fields.invalid("slot", "must be one of the slots offered, as an ISO-8601 instant");
    }
  }
}
