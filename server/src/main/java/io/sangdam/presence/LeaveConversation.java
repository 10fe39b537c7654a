package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;

/** {@code leave}: the customer ends a conversation; one that had an agent asks them to rate it. */
final class LeaveConversation implements FrameHandler<CustomerSession> {
  private final Chat.Leave chat;

  LeaveConversation(Chat.Leave chat) {
    this.chat = chat;
  }

  @Override
  public void handle(CustomerSession session, Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    session.reply(rid, chat.leave(session.identity().customerId(), conversation, session.id()), reason -> {
      ServerMessage.Closed closed = new ServerMessage.Closed(rid, conversation, reason);
      // "customer": it had an agent, so the customer is asked to rate it.
      session.send(reason.equals("customer") ? closed.inviteToRate() : closed);
    });
  }
}
