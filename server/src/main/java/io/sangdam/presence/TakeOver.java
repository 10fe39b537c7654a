package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.chat.Conversation;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.concurrent.CompletableFuture;

/** {@code takeover}: the supervisor becomes the conversation's agent (and stops watching it). */
final class TakeOver implements FrameHandler<AgentSession> {
  private final Supervision supervision;
  private final Chat.TakeOver chat;
  private final Sessions sessions;

  TakeOver(Supervision supervision, Chat.TakeOver chat, Sessions sessions) {
    this.supervision = supervision;
    this.chat = chat;
    this.sessions = sessions;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    Principal p = supervision.supervisor(session);
    long conversation = f.id("conversation");
    CompletableFuture<Conversation> inScope = supervision.inScope(p, conversation);
    CompletableFuture<ServerMessage> answer = inScope.thenCompose(c -> {
      // The assignee must be able to work the chat: a manager of the conversation's own center.
      if (!Long.valueOf(c.centerId()).equals(p.centerId())) {
        throw new SangdamException(ErrorCode.FORBIDDEN, "only a manager of the conversation's center takes it over");
      }
      return chat.takeOver(p.id(), p.user().name(), conversation, session.id());
    }).thenApply(taken -> {
      sessions.unwatch(conversation, session);
      return new ServerMessage.Supervised("takenOver", rid, sessions.views().view(taken));
    });
    supervision.answerAudited(session, rid, "takeover", p, inScope, answer, null);
  }
}
