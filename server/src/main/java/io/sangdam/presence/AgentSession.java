package io.sangdam.presence;

import io.sangdam.auth.Principal;
import io.sangdam.chat.Participant;
import io.sangdam.directory.Role;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import io.sangdam.routing.AgentProfile;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An agent's console (/ws/agent). Agents and center managers of a center may connect. */
final class AgentSession extends ClientSession {
  private final SessionFactory ctx;
  private volatile Principal me;

  AgentSession(long id, Outbound out, SessionFactory ctx, RateLimiter limiter) {
    super(id, out, ctx.json, limiter);
    this.ctx = ctx;
  }

  @Override
  CompletableFuture<?> hello(Fields f) {
    String token = f.string("token", 200);
    return CompletableFuture.supplyAsync(() -> {
      Principal p = ctx.authenticator.authenticate(token);
      if ((p.role() != Role.AGENT && p.role() != Role.CENTER_MANAGER) || p.centerId() == null) {
        throw new SangdamException(ErrorCode.FORBIDDEN, "only agents and center managers of a center may connect here");
      }
      me = p;
      ctx.sessions.addAgent(p.id(), this);
      List<ServerMessage.ConversationView> mine = ctx.conversations.openForAgent(p.id()).stream()
          .map(ctx.views::view).toList();
      send(new ServerMessage.AgentWelcome(f.node().get("rid"), ctx.views.user(p.user(), p.tenantCode(),
          p.centerCode()), mine));
      return p;
    }, ctx.blocking);
  }

  @Override
  void handle(String type, Fields f) {
    Participant self = Participant.agent(me.id());
    switch (type) {
      case "status" -> status(f);
      case "send" -> {
        String cmid = f.string("cmid", 64);
        reply(f.node().get("rid"), ctx.conversations.send(self, f.id("conversation"), cmid, f.text("text"), id()),
            m -> send(new ServerMessage.Ack(f.node().get("rid"), m.conversationId(), cmid, m.seq())));
      }
      case "close" -> {
        long conversation = f.id("conversation");
        reply(f.node().get("rid"), ctx.conversations.close(me.id(), conversation, id()),
            reason -> send(new ServerMessage.Closed(f.node().get("rid"), conversation, reason)));
      }
      case "resume" -> CustomerSession.replay(this, ctx, f, self, f.id("conversation"), f.nonNegative("afterSeq"));
      default -> throw unknownType(type);
    }
  }

  private void status(Fields f) {
    ctx.sessions.setStatus(profile(), f.oneOf("status", AgentStatus.class), this, f.node().get("rid"));
  }

  private AgentProfile profile() {
    Principal p = me;
    return new AgentProfile(p.id(), p.centerId(), p.user().queueIds(), p.user().maxChats());
  }

  @Override
  void ended() {
    if (me != null) {
      ctx.sessions.removeAgent(profile(), this);
    }
  }
}
