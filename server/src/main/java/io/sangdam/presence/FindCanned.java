package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.canned.CannedResponses;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@code canned}: the canned responses the agent may use, matching {@code q} (all without it). */
final class FindCanned implements FrameHandler<AgentSession> {
  private final CannedResponses canned;
  private final Executor blocking;

  FindCanned(CannedResponses canned, Executor blocking) {
    this.canned = canned;
    this.blocking = blocking;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    Principal p = session.principal();
    String query = f.optString("q", 100).orElse("");
    session.reply(rid, CompletableFuture.supplyAsync(() -> canned.lookup(p.tenantId(), p.centerId(), p.id(), query),
        blocking), list -> session.send(new ServerMessage.Canned(rid, list.stream().map(c -> new ServerMessage
        .CannedView(c.id(), c.level(), c.title(), "/" + c.shortcut(), c.body())).toList())));
  }
}
