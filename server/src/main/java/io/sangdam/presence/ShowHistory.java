package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.accesslog.AccessLog;
import io.sangdam.accesslog.AccessRecord;
import io.sangdam.accesslog.Reader;
import io.sangdam.chat.ConversationRecords;
import io.sangdam.privacy.Masking;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code history}: the customer of a conversation the agent carries, contact masked, and their earlier conversations.
 * The earlier conversations are more than the agent's own live chat: when there are any, the read is on the access
 * records before it is answered.
 */
final class ShowHistory implements FrameHandler<AgentSession> {
  private final Chat.History chat;
  private final Sessions sessions;
  private final AccessLog access;
  private final Executor blocking;

  ShowHistory(Chat.History chat, Sessions sessions, AccessLog access, Executor blocking) {
    this.chat = chat;
    this.sessions = sessions;
    this.access = access;
    this.blocking = blocking;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    ConversationViews views = sessions.views();
    Reader reader = new Reader(session.principal(), session.remoteAddress());
    CompletableFuture<ConversationRecords.CustomerHistory> history = chat.history(session.principal().id(),
        conversation).thenApplyAsync(h -> {
          if (!h.earlier().isEmpty()) {
            access.record(AccessRecord.of(reader, h.earlier().get(0).conversation().tenantId(), null, "history",
                "customer " + h.customer().id() + " of conversation " + conversation, List.of(h.customer().id()),
                null));
          }
          return h;
        }, blocking);
    session.reply(rid, history, h -> session.send(
        new ServerMessage.History(rid, conversation, new ServerMessage.CustomerProfile(h.customer().id(),
            h.customer().name(), Masking.contact(h.customer().contact()), h.customer().externalId(),
            Boolean.TRUE.equals(h.customer().under14()) ? true : null),
            h.earlier().stream().map(r -> new ServerMessage.PastConversation(views.view(r.conversation()),
                r.messages().stream().map(m -> sessions.message(r.conversation(), m, true)).toList())).toList(),
            h.truncated(), h.botFields().stream()
                .map(v -> new ServerMessage.BotField(v.name(), v.label(), v.shown())).toList())));
  }
}
