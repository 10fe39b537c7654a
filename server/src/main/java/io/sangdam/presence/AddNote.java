package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;

/** {@code note}: an internal note on a conversation the agent carries, never shown to the customer. */
final class AddNote implements FrameHandler<AgentSession> {
  private final Chat.Note chat;

  AddNote(Chat.Note chat) {
    this.chat = chat;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    String cmid = f.string("cmid", 64);
    long conversation = f.id("conversation");
    session.reply(rid, chat.note(session.principal().id(), conversation, cmid, f.text("text"), session.id()),
        n -> session.send(ServerMessage.Ack.ofNote(rid, conversation, cmid, n.id())));
  }
}
