package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Participant;
import io.sangdam.protocol.Fields;

/** A customer's {@code resume}: the messages of their conversation after {@code afterSeq}, then {@code resumed}. */
final class ResumeAsCustomer implements FrameHandler<CustomerSession> {
  private final Chat.Replays chat;

  ResumeAsCustomer(Chat.Replays chat) {
    this.chat = chat;
  }

  @Override
  public void handle(CustomerSession session, Fields f, JsonNode rid) {
    long conversationId = f.id("conversation");
    long afterSeq = f.nonNegative("afterSeq");
    Participant self = session.participant();
    session.replay(rid, conversationId, afterSeq, after -> chat.replay(self, conversationId, after));
  }
}
