package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.chat.Conversation;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;
import java.util.concurrent.CompletableFuture;

/**
 * {@code watch} and {@code unwatch}: a supervisor starts or stops seeing a conversation's messages, read-only. A watch
 * is on the access records before the supervisor sees anything.
 */
final class WatchConversation implements FrameHandler<AgentSession> {
  private final Supervision supervision;
  private final Sessions sessions;

  WatchConversation(Supervision supervision, Sessions sessions) {
    this.supervision = supervision;
    this.sessions = sessions;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    Principal p = supervision.supervisor(session);
    String type = f.node().path("type").asText();
    long conversation = f.id("conversation");
    CompletableFuture<Conversation> inScope = supervision.inScope(p, conversation);
    CompletableFuture<ServerMessage> answer = type.equals("watch")
        ? supervision.recordedWatch(session, p, inScope).thenApply(c -> {
          sessions.watch(c, session);
          return new ServerMessage.Supervised("watching", rid, sessions.views().view(c));
        })
        : inScope.thenApply(c -> {
          sessions.unwatch(conversation, session);
          return new ServerMessage.Supervised("unwatched", rid, sessions.views().view(c));
        });
    supervision.answerAudited(session, rid, type, p, inScope, answer, null);
  }
}
