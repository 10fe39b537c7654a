package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.chat.Conversation;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;
import java.util.concurrent.CompletableFuture;

/** {@code whisper}: a supervisor's note the agent sees and the customer never does. */
final class Whisper implements FrameHandler<AgentSession> {
  private final Supervision supervision;
  private final Chat.Note chat;

  /** {@code chat}: stores a whisper (chat's {@code whisper}). */
  Whisper(Supervision supervision, Chat.Note chat) {
    this.supervision = supervision;
    this.chat = chat;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    Principal p = supervision.supervisor(session);
    long conversation = f.id("conversation");
    String cmid = f.string("cmid", 64);
    String text = f.text("text");
    CompletableFuture<Conversation> inScope = supervision.inScope(p, conversation);
    CompletableFuture<ServerMessage> answer = inScope
        .thenCompose(c -> chat.note(p.id(), conversation, cmid, text, session.id()))
        .thenApply(n -> ServerMessage.Ack.ofNote(rid, conversation, cmid, n.id()));
    supervision.answerAudited(session, rid, "whisper", p, inScope, answer, null);
  }
}
