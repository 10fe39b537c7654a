package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.directory.Directory;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@code categories}: the tenant's enabled categories, to file a chat under when closing it. */
final class ListCategories implements FrameHandler<AgentSession> {
  private final Directory directory;
  private final Executor blocking;

  ListCategories(Directory directory, Executor blocking) {
    this.directory = directory;
    this.blocking = blocking;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    long tenantId = session.principal().tenantId();
    session.reply(rid, CompletableFuture.supplyAsync(() -> directory.categories(tenantId)
        .stream().filter(directory::usable).toList(), blocking),
        list -> session.send(new ServerMessage.Categories(rid, list.stream().map(c -> new ServerMessage.CategoryView(
            c.id(), c.parentId(), c.level(), c.name())).toList())));
  }
}
