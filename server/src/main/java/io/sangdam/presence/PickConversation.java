package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;

/** {@code pick}: the agent takes a waiting conversation; the {@code assigned} that follows carries the rid. */
final class PickConversation implements FrameHandler<AgentSession> {
  private final Chat.Pick chat;

  PickConversation(Chat.Pick chat) {
    this.chat = chat;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    session.picking(conversation, rid);
    session.reply(rid, chat.pick(session.profile(), conversation).whenComplete((x, e) -> {
      if (e != null) {
        session.pickFailed(conversation);
      }
    }), x -> { });
  }
}
