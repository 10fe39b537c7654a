package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Visitors;
import io.sangdam.chat.Participant;
import io.sangdam.directory.BusinessHours;
import io.sangdam.directory.Center;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.CenterClosedException;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A customer's chat window (/ws/customer). */
final class CustomerSession extends ClientSession {
  /** Who this customer is, once {@code hello} has been answered. */
  private record Identity(long customerId, String name, Tenant tenant, Center center) {}

  private final SessionFactory ctx;
  private volatile Identity me;

  CustomerSession(long id, Outbound out, SessionFactory ctx, RateLimiter limiter) {
    super(id, out, ctx.json, limiter, ctx.sessions);
    this.ctx = ctx;
  }

  @Override
  CompletableFuture<?> hello(Fields f) {
    String tenantCode = f.slug("tenant");
    String centerCode = f.slug("center");
    Optional<String> visitor = f.optString("visitor", 100);
    Optional<String> name = f.optString("name", 100);
    Optional<String> contact = f.optString("contact", 200);
    Optional<Visitors.Claim> claim = f.optString("externalId", 100)
        .map(id -> new Visitors.Claim(id, f.optString("signature", 128).orElse("")));
    return CompletableFuture.supplyAsync(() -> {
      Tenant tenant = ctx.directory.tenantByCode(tenantCode).filter(t -> t.status().equals("ACTIVE"))
          .orElseThrow(() -> SangdamException.notFound("tenant '" + tenantCode + "'"));
      Center center = ctx.directory.center(tenant.id(), centerCode).filter(Center::enabled)
          .orElseThrow(() -> SangdamException.notFound("center '" + centerCode + "'"));
      Visitors.Identified who = ctx.visitors.identify(tenant.id(), visitor, name, contact, claim);
      Identity identity = new Identity(who.visitor().customerId(), who.visitor().name(), tenant, center);
      // Known to the session only once registered: a session that never joined (closed first, or
      // one too many) must not count a disconnection of the customer when it ends.
      register(() -> {
        ctx.sessions.addCustomer(identity.customerId(), this);
        me = identity;
        ctx.inactivity.customerConnected(identity.customerId());
      });
      List<ServerMessage.ConversationView> open = ctx.live.openForCustomer(identity.customerId()).stream()
          .map(ctx.views::view).toList();
      send(new ServerMessage.CustomerWelcome(f.node().get("rid"), who.token(),
          who.identity() == Visitors.Identity.NONE ? null : who.identity().name().toLowerCase(java.util.Locale.ROOT),
          open));
      return identity;
    }, ctx.blocking);
  }

  @Override
  void handle(String type, Fields f) {
    switch (type) {
      case "start" -> start(f);
      case "queues" -> queues(f.node().get("rid"));
      case "send" -> {
        String cmid = f.string("cmid", 64);
        reply(f.node().get("rid"), ctx.sending.send(Participant.customer(me.customerId()),
            f.id("conversation"), cmid, f.text("text"), id()),
            m -> send(new ServerMessage.Ack(f.node().get("rid"), m.conversationId(), cmid, m.seq())));
      }
      case "resume" -> resume(f);
      case "typing", "read" -> relay(type, f, Participant.customer(me.customerId()), ctx);
      case "rate" -> {
        long conversation = f.id("conversation");
        int score = f.optInt("score", 1, 5).orElseThrow(() -> Fields.missing("score"));
        Optional<String> comment = f.optString("comment", 1000).filter(c -> !c.isBlank());
        reply(f.node().get("rid"), ctx.records.rate(me.customerId(), conversation, score, comment),
            x -> send(new ServerMessage.Rated(f.node().get("rid"), conversation)));
      }
      case "leave" -> {
        long conversation = f.id("conversation");
        reply(f.node().get("rid"), ctx.closing.leave(me.customerId(), conversation, id()), reason -> {
          ServerMessage.Closed closed = new ServerMessage.Closed(f.node().get("rid"), conversation, reason);
          // "customer": it had an agent, so the customer is asked to rate it.
          send(reason.equals("customer") ? closed.inviteToRate() : closed);
        });
      }
      default -> throw unknownType(type);
    }
  }

  /** The center's inquiry types (enabled queues) and whether it is open, for the widget's first screen. */
  private void queues(JsonNode rid) {
    Identity who = me;
    reply(rid, CompletableFuture.supplyAsync(() -> {
      Center center = ctx.directory.center(who.center().id()).orElseThrow();
      Instant now = ctx.clock.instant();
      boolean open = center.isOpen(now);
      String opensAt = open ? null : center.hours().nextOpening(now).map(Instant::toString).orElse(null);
      return new ServerMessage.Queues(rid, center.name(), open, opensAt,
          open ? null : center.hours().outOfHours().name(), ctx.directory.queues(center.id()).stream()
              .filter(Queue::enabled).map(q -> new ServerMessage.QueueChoice(q.code(), q.name())).toList());
    }, ctx.blocking), this::send);
  }

  /**
   * Starts a chat, or out of hours: with OFFLINE_FORM, {@code center_closed} and the next opening,
   * or, when the customer asks with {@code "offline":true}, an inquiry left for the center.
   */
  private void start(Fields f) {
    String queueCode = f.slug("queue");
    Optional<String> text = f.has("text") ? Optional.of(f.text("text")) : Optional.empty();
    boolean offline = f.optBool("offline").orElse(false);
    Optional<String> contact = f.optString("contact", 200).filter(c -> !c.isBlank());
    Identity who = me;
    JsonNode rid = f.node().get("rid");
    CompletableFuture<Queue> queue = CompletableFuture.supplyAsync(() -> {
      // Checked again here, not only at hello: a tenant or center disabled since takes no new chats.
      Queue q = ctx.directory.queue(who.center().id(), queueCode).filter(Queue::enabled)
          .filter(x -> ctx.directory.tenant(who.tenant().id()).map(t -> t.status().equals("ACTIVE")).orElse(false))
          .orElseThrow(() -> SangdamException.notFound("queue '" + queueCode + "'"));
      Center center = ctx.directory.center(q.centerId()).filter(Center::enabled)
          .orElseThrow(() -> SangdamException.notFound("queue '" + queueCode + "'"));
      Instant now = ctx.clock.instant();
      if (center.isOpen(now) || center.hours().outOfHours() == BusinessHours.OutOfHours.ACCEPT || offline) {
        return q;
      }
      throw new CenterClosedException(center.hours().nextOpening(now).orElse(null));
    }, ctx.blocking);
    if (offline) {
      String left = text.orElseThrow(() -> Fields.missing("text"));
      String reachAt = contact.orElseThrow(() -> Fields.missing("contact"));
      reply(rid, queue.thenCompose(q -> ctx.records.leaveInquiry(who.tenant().id(), q, who.customerId(),
          reachAt, left)), id -> send(new ServerMessage.InquiryStored(rid, id)));
      return;
    }
    reply(rid, queue.thenCompose(q -> ctx.starting.start(who.tenant().id(), q, who.customerId(), who.name(),
        text, id(), c -> send(new ServerMessage.Started(rid, ctx.views.view(c))))), c -> { });
  }

  private void resume(Fields f) {
    long conversationId = f.id("conversation");
    long afterSeq = f.nonNegative("afterSeq");
    Participant self = Participant.customer(me.customerId());
    replay(f.node().get("rid"), conversationId, afterSeq, after -> ctx.records.replay(self, conversationId, after));
  }

  @Override
  String who() {
    Identity identity = me;
    return identity == null ? "before hello"
        : "tenant " + identity.tenant().code() + ", customer " + identity.customerId();
  }

  @Override
  boolean isStaff() {
    return false;
  }

  @Override
  void ended() {
    Identity identity = me;
    if (identity != null) {
      ctx.sessions.removeCustomer(identity.customerId(), this);
      ctx.inactivity.customerDisconnected(identity.customerId());
    }
  }
}
