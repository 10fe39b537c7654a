package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;

/** {@code waiting}: the conversations waiting in the agent's queues, to pick from. */
final class ListWaiting implements FrameHandler<AgentSession> {
  private final Chat.Waiting chat;
  private final ConversationViews views;

  ListWaiting(Chat.Waiting chat, ConversationViews views) {
    this.chat = chat;
    this.views = views;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    session.reply(rid, chat.waitingFor(session.profile()),
        list -> session.send(new ServerMessage.Waiting(rid, list.stream().map(views::view).toList())));
  }
}
