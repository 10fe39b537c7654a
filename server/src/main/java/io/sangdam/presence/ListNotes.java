package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;

/** {@code notes}: the notes (and whispers, transfer notes) of a conversation the agent carries. */
final class ListNotes implements FrameHandler<AgentSession> {
  private final Chat.Notes chat;
  private final ConversationViews views;

  ListNotes(Chat.Notes chat, ConversationViews views) {
    this.chat = chat;
    this.views = views;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    session.reply(rid, chat.notes(session.principal().id(), conversation), list -> session.send(
        new ServerMessage.Notes(rid, conversation, list.stream().map(views::note).toList())));
  }
}
