package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.chat.Conversation;
import io.sangdam.directory.Directory;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@code reassign}: a supervisor gives the conversation to another enabled agent of its center. */
final class Reassign implements FrameHandler<AgentSession> {
  private final Supervision supervision;
  private final Directory directory;
  private final Chat.Reassign chat;
  private final Executor blocking;

  Reassign(Supervision supervision, Directory directory, Chat.Reassign chat, Executor blocking) {
    this.supervision = supervision;
    this.directory = directory;
    this.chat = chat;
    this.blocking = blocking;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    Principal p = supervision.supervisor(session);
    long conversation = f.id("conversation");
    String target = f.slug("toAgent");
    CompletableFuture<Conversation> inScope = supervision.inScope(p, conversation);
    CompletableFuture<ServerMessage> answer = inScope.thenApplyAsync(c -> directory.user(c.tenantId(), target)
            .filter(u -> u.enabled() && Long.valueOf(c.centerId()).equals(u.centerId()))
            .orElseThrow(() -> SangdamException.notFound("agent '" + target + "' in the conversation's center")),
        blocking)
        .thenCompose(u -> chat.reassign(conversation, u.id(), u.name()))
        .thenApply(x -> new ServerMessage.Supervised("reassigned", rid, null));
    supervision.answerAudited(session, rid, "reassign", p, inScope, answer, target);
  }
}
