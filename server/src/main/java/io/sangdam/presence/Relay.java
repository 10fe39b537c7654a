package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.Participant;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.function.LongSupplier;

/**
 * {@code typing} and {@code read}, on either socket: tells the other side that this participant is
 * typing, or has read up to a {@code seq}. Neither is stored; both need an open conversation of
 * the sender. Typing is forwarded at most once a second per conversation, per session.
 */
final class Relay implements FrameHandler<ClientSession> {
  private static final long TYPING_INTERVAL_NANOS = 1_000_000_000L;

  private final Chat.OpenFor openFor;
  private final OtherSide otherSide;
  private final LongSupplier nanoTime;

  Relay(Chat.OpenFor openFor, OtherSide otherSide, LongSupplier nanoTime) {
    this.openFor = openFor;
    this.otherSide = otherSide;
    this.nanoTime = nanoTime;
  }

  @Override
  public void handle(ClientSession session, Fields f, JsonNode rid) {
    Participant who = session.participant();
    long conversationId = f.id("conversation");
    Conversation c = openFor.openFor(who, conversationId)
        .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId));
    if (f.node().path("type").asText().equals("typing")) {
      if (session.typingDue(conversationId, nanoTime.getAsLong(), TYPING_INTERVAL_NANOS)) {
        otherSide.typing(conversationId, c.customerId(), c.agentId(), who.kind());
      }
    } else {
      long seq = f.id("seq");
      if (seq > c.lastSeq()) {
        throw Fields.invalid("seq", "must be at most the conversation's last seq, " + c.lastSeq());
      }
      otherSide.read(conversationId, c.customerId(), c.agentId(), who.kind(), seq);
    }
  }
}
