package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.directory.Directory;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * An agent's {@code close}. {@code category} must be an enabled category of the tenant; a center
 * may require one. Tags: up to 10, 50 characters each.
 */
final class CloseConversation implements FrameHandler<AgentSession> {
  private final Directory directory;
  private final Chat.Close chat;
  private final Executor blocking;

  CloseConversation(Directory directory, Chat.Close chat, Executor blocking) {
    this.directory = directory;
    this.chat = chat;
    this.blocking = blocking;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    Optional<Long> category = f.has("category") ? Optional.of(f.id("category")) : Optional.empty();
    List<String> tags = f.strings("tags", 10, 50);
    Principal p = session.principal();
    CompletableFuture<String> closed = CompletableFuture.supplyAsync(() -> {
      Long categoryId = category.map(id -> directory.category(id)
          .filter(c -> c.tenantId() == p.tenantId() && directory.usable(c))
          .orElseThrow(() -> Fields.invalid("category", "names no enabled category of this tenant")).id())
          .orElse(null);
      if (categoryId == null && directory.center(p.centerId()).map(c -> c.settings().requireCategory())
          .orElse(false)) {
        throw new SangdamException(ErrorCode.CATEGORY_REQUIRED, "this center needs a category to close a chat");
      }
      return categoryId;
    }, blocking).thenCompose(categoryId -> chat.close(p.id(), conversation, categoryId, tags, session.id()));
    session.reply(rid, closed, reason -> session.send(new ServerMessage.Closed(rid, conversation, reason)));
  }
}
