package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;

/** {@code hold}: the agent puts a conversation on hold ({@code "hold":false} takes it back). */
final class HoldConversation implements FrameHandler<AgentSession> {
  private final Chat.Hold chat;

  HoldConversation(Chat.Hold chat) {
    this.chat = chat;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    boolean hold = f.optBool("hold").orElse(true);
    session.reply(rid, chat.hold(session.principal().id(), conversation, hold, session.id()),
        x -> session.send(new ServerMessage.Hold(rid, conversation, hold)));
  }
}
