package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.FirstMessage;
import io.sangdam.directory.BusinessHours;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.protocol.CenterClosedException;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code start}: starts a chat in a queue of the customer's center, or out of hours: with
 * OFFLINE_FORM, {@code center_closed} and the next opening, or, when the customer asks with
 * {@code "offline":true}, an inquiry left for the center.
 */
final class StartConversation implements FrameHandler<CustomerSession> {
  private final Directory directory;
  private final Chat.Start start;
  private final Chat.LeaveInquiry leaveInquiry;
  private final ConversationViews views;
  private final Clock clock;
  private final Executor blocking;

  StartConversation(Directory directory, Chat.Start start, Chat.LeaveInquiry leaveInquiry, ConversationViews views,
      Clock clock, Executor blocking) {
    this.directory = directory;
    this.start = start;
    this.leaveInquiry = leaveInquiry;
    this.views = views;
    this.clock = clock;
    this.blocking = blocking;
  }

  @Override
  public void handle(CustomerSession session, Fields f, JsonNode rid) {
    String queueCode = f.slug("queue");
    Optional<String> text = f.has("text") ? Optional.of(f.text("text")) : Optional.empty();
    boolean offline = f.optBool("offline").orElse(false);
    Optional<String> contact = f.optString("contact", 200).filter(c -> !c.isBlank());
    CustomerSession.Identity who = session.identity();
    CompletableFuture<Queue> queue = CompletableFuture.supplyAsync(() -> {
      // Checked again here, not only at hello: a tenant or center disabled since takes no new chats.
      Queue q = directory.queue(who.center().id(), queueCode).filter(Queue::enabled)
          .filter(x -> directory.tenant(who.tenant().id()).map(t -> t.status().equals("ACTIVE")).orElse(false))
          .orElseThrow(() -> SangdamException.notFound("queue '" + queueCode + "'"));
      Center center = directory.center(q.centerId()).filter(Center::enabled)
          .orElseThrow(() -> SangdamException.notFound("queue '" + queueCode + "'"));
      Instant now = clock.instant();
      if (center.isOpen(now) || center.hours().outOfHours() == BusinessHours.OutOfHours.ACCEPT || offline) {
        return q;
      }
      throw new CenterClosedException(center.hours().nextOpening(now).orElse(null));
    }, blocking);
    if (offline) {
      String left = text.orElseThrow(() -> Fields.missing("text"));
      String reachAt = contact.orElseThrow(() -> Fields.missing("contact"));
      session.reply(rid, queue.thenCompose(q -> leaveInquiry.leaveInquiry(who.tenant().id(), q, who.customerId(),
          reachAt, left)), id -> session.send(new ServerMessage.InquiryStored(rid, id)));
      return;
    }
    session.holdPushes();
    CompletableFuture<Conversation> started = queue.thenCompose(q -> start.start(who.tenant().id(), q,
        who.customerId(), who.name(), text.map(FirstMessage::of), session.id(),
        c -> session.releasePushes(new ServerMessage.Started(rid, views.view(c)))))
        .whenComplete((c, failed) -> session.releasePushes(null));
    session.reply(rid, started, c -> { });
  }
}
