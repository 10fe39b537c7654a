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
    // A button (the id of one a bot offered) answers the bot; on a conversation no bot has it is ignored.
    String button = f.optString("button", 64).filter(b -> !b.isBlank()).orElse(null);
    session.reply(rid, chat.send(session.participant(), f.id("conversation"), cmid, f.text("text"), button,
        session.id()),
        m -> session.send(new ServerMessage.Ack(rid, m.conversationId(), cmid, m.seq())));
  }
}
