package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;

/** A customer's {@code send}: a message in one of their open conversations, answered with {@code ack} once stored. */
final class SendAsCustomer implements FrameHandler<CustomerSession> {
  private final Chat.Send chat;

  SendAsCustomer(Chat.Send chat) {
    this.chat = chat;
  }

  @Override
  public void handle(CustomerSession session, Fields f, JsonNode rid) {
    String cmid = f.string("cmid", 64);
    session.reply(rid, chat.send(session.participant(), f.id("conversation"), cmid, f.text("text"), session.id()),
        m -> session.send(new ServerMessage.Ack(rid, m.conversationId(), cmid, m.seq())));
  }
}
