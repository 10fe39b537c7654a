package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.User;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code transfer}: hands a conversation the agent carries to a queue or another agent, with an
 * optional note. Exactly one of {@code toQueue} ("center/queue", or "queue" of this center) and
 * {@code toAgent} (a username).
 */
final class Transfer implements FrameHandler<AgentSession> {
  private static final int MAX_NOTE = 1000;

  private final Directory directory;
  private final Chat.ToQueue toQueue;
  private final Chat.ToAgent toAgent;
  private final Executor blocking;

  Transfer(Directory directory, Chat.ToQueue toQueue, Chat.ToAgent toAgent, Executor blocking) {
    this.directory = directory;
    this.toQueue = toQueue;
    this.toAgent = toAgent;
    this.blocking = blocking;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    Optional<String> queueTarget = f.optString("toQueue", 65);
    Optional<String> agentTarget = f.optSlug("toAgent");
    Optional<String> note = f.optString("note", MAX_NOTE).filter(n -> !n.isBlank());
    if (queueTarget.isPresent() == agentTarget.isPresent()) {
      throw Fields.invalid("toQueue", "or 'toAgent' must be given, exactly one of them");
    }
    Principal p = session.principal();
    CompletableFuture<Void> done = queueTarget.isPresent()
        ? CompletableFuture.supplyAsync(() -> queue(p, queueTarget.get()), blocking)
            .thenCompose(q -> toQueue.toQueue(p.id(), conversation, q, note, session.id()))
        : CompletableFuture.supplyAsync(() -> agent(p, agentTarget.get()), blocking)
            .thenCompose(u -> toAgent.toAgent(p.id(), conversation, u.id(), u.name(), note, session.id()));
    session.reply(rid, done, x -> session.send(new ServerMessage.Transferred(rid, conversation)));
  }

  /** A queue of the agent's tenant: "center/queue", or "queue" of the agent's own center. Blocks. */
  private Queue queue(Principal p, String target) {
    String[] parts = target.split("/", -1);
    String centerCode = parts.length == 2 ? parts[0] : p.centerCode();
    String queueCode = parts[parts.length - 1];
    if (parts.length > 2 || !Fields.SLUG.matcher(centerCode).matches() || !Fields.SLUG.matcher(queueCode).matches()) {
      throw Fields.invalid("toQueue", "must be \"queue\" or \"center/queue\"");
    }
    return directory.center(p.tenantId(), centerCode).flatMap(c -> directory.queue(c.id(), queueCode))
        .orElseThrow(() -> SangdamException.notFound("queue '" + target + "'"));
  }

  /** Another agent (or manager) of the same center. Blocks. */
  private User agent(Principal p, String username) {
    if (username.equals(p.user().username())) {
      throw Fields.invalid("toAgent", "must be another agent");
    }
    return directory.user(p.tenantId(), username)
        .filter(u -> u.enabled() && p.centerId().equals(u.centerId()))
        .orElseThrow(() -> SangdamException.notFound("agent '" + username + "' in center '" + p.centerCode() + "'"));
  }
}
