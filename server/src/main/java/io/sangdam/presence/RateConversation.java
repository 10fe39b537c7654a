package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;
import java.util.Optional;

/** {@code rate}: the customer scores a closed conversation that had an agent (1 to 5), with an optional comment. */
final class RateConversation implements FrameHandler<CustomerSession> {
  private final Chat.Rate chat;

  RateConversation(Chat.Rate chat) {
    this.chat = chat;
  }

  @Override
  public void handle(CustomerSession session, Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    int score = f.optInt("score", 1, 5).orElseThrow(() -> Fields.missing("score"));
    Optional<String> comment = f.optString("comment", 1000).filter(c -> !c.isBlank());
    session.reply(rid, chat.rate(session.identity().customerId(), conversation, score, comment),
        x -> session.send(new ServerMessage.Rated(rid, conversation)));
  }
}
