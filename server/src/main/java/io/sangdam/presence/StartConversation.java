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
import io.sangdam.widget.PreChatAnswers;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code start}: starts a chat in a queue of the customer's center, or out of hours: with
 * OFFLINE_FORM, {@code center_closed} and the next opening, or, when the customer asks with
 * {@code "offline":true}, an inquiry left for the center. A chat's {@code form} holds the answers to the center's
 * pre-chat form: checked before anything is stored, kept with the conversation.
 */
final class StartConversation implements FrameHandler<CustomerSession> {
  private static final Logger log = LoggerFactory.getLogger(StartConversation.class);

  private final Directory directory;
  private final Chat.Start start;
  private final Chat.LeaveInquiry leaveInquiry;
  private final ConversationViews views;
  private final PreChat.Check checkForm;
  private final PreChat.Keep keepForm;
  private final Clock clock;
  private final Executor blocking;

  StartConversation(Directory directory, Chat.Start start, Chat.LeaveInquiry leaveInquiry, ConversationViews views,
      PreChat.Check checkForm, PreChat.Keep keepForm, Clock clock, Executor blocking) {
    this.directory = directory;
    this.start = start;
    this.leaveInquiry = leaveInquiry;
    this.views = views;
    this.checkForm = checkForm;
    this.keepForm = keepForm;
    this.clock = clock;
    this.blocking = blocking;
  }

  @Override
  public void handle(CustomerSession session, Fields f, JsonNode rid) {
    String queueCode = f.slug("queue");
    Optional<String> text = f.has("text") ? Optional.of(f.text("text")) : Optional.empty();
    boolean offline = f.optBool("offline").orElse(false);
    Optional<String> contact = f.optString("contact", 200).filter(c -> !c.isBlank());
    JsonNode form = f.node().get("form");
    CustomerSession.Identity who = session.identity();
    CompletableFuture<Opening> opening = CompletableFuture.supplyAsync(() -> {
      // Checked again here, not only at hello: a tenant or center disabled since takes no new chats.
      Queue q = directory.queue(who.center().id(), queueCode).filter(Queue::enabled)
          .filter(x -> directory.tenant(who.tenant().id()).map(t -> t.status().equals("ACTIVE")).orElse(false))
          .orElseThrow(() -> SangdamException.notFound("queue '" + queueCode + "'"));
      Center center = directory.center(q.centerId()).filter(Center::enabled)
          .orElseThrow(() -> SangdamException.notFound("queue '" + queueCode + "'"));
      Instant now = clock.instant();
      if (offline) {
        return new Opening(q, Optional.empty());
      }
      if (center.isOpen(now) || center.hours().outOfHours() == BusinessHours.OutOfHours.ACCEPT) {
        // Checked only once a chat can open: a closed center's customer is sent to the offline form instead.
        return new Opening(q, checkForm.check(center.id(), who.verified(), form));
      }
      throw new CenterClosedException(center.hours().nextOpening(now).orElse(null));
    }, blocking);
    CompletableFuture<Queue> queue = opening.thenApply(Opening::queue);
    if (offline) {
      String left = text.orElseThrow(() -> Fields.missing("text"));
      String reachAt = contact.orElseThrow(() -> Fields.missing("contact"));
      session.reply(rid, queue.thenCompose(q -> leaveInquiry.leaveInquiry(who.tenant().id(), q, who.customerId(),
          reachAt, left)), id -> session.send(new ServerMessage.InquiryStored(rid, id)));
      return;
    }
    session.holdPushes();
    CompletableFuture<Conversation> started = opening.thenCompose(o -> start.start(who.tenant().id(), o.queue(),
        who.customerId(), o.answers().map(PreChatAnswers::name).orElse(who.name()), text.map(FirstMessage::of),
        session.id(), c -> session.releasePushes(new ServerMessage.Started(rid, views.view(c))))
        .thenCompose(c -> o.answers().isEmpty() ? CompletableFuture.completedFuture(c)
            : CompletableFuture.supplyAsync(() -> keep(who, c, o.answers().get()), blocking)))
        .whenComplete((c, failed) -> session.releasePushes(null));
    session.reply(rid, started, c -> { });
  }

  /**
   * The answers are kept once the conversation exists, which they name. Should that fail, the chat goes on: the
   * customer already has it, and the failure is logged with the conversation.
   */
  private Conversation keep(CustomerSession.Identity who, Conversation c, PreChatAnswers answers) {
    try {
      keepForm.keep(who.tenant().id(), c.id(), answers);
    } catch (RuntimeException e) {
      log.error("the pre-chat answers of conversation {} could not be kept", c.id(), e);
    }
    return c;
  }

  /** The queue a start opens in, and what the customer gave in the center's pre-chat form, if it asks one. */
  private record Opening(Queue queue, Optional<PreChatAnswers> answers) {}
}
