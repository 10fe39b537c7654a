package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@code inquiries}: what customers left for the agent's center while it was closed, not yet handled. */
final class ListInquiries implements FrameHandler<AgentSession> {
  private final Chat.PendingInquiries chat;
  private final ConversationViews views;
  private final Executor blocking;

  ListInquiries(Chat.PendingInquiries chat, ConversationViews views, Executor blocking) {
    this.chat = chat;
    this.views = views;
    this.blocking = blocking;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    long centerId = session.principal().centerId();
    session.reply(rid, CompletableFuture.supplyAsync(() -> chat.pendingInquiries(centerId), blocking),
        list -> session.send(new ServerMessage.Inquiries(rid, list.stream().map(views::inquiry).toList())));
  }
}
