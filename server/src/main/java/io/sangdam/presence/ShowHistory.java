package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.privacy.Masking;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.ServerMessage;

/** {@code history}: the customer of a conversation the agent carries, contact masked, and their earlier conversations. */
final class ShowHistory implements FrameHandler<AgentSession> {
  private final Chat.History chat;
  private final Sessions sessions;

  ShowHistory(Chat.History chat, Sessions sessions) {
    this.chat = chat;
    this.sessions = sessions;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    ConversationViews views = sessions.views();
    session.reply(rid, chat.history(session.principal().id(), conversation), h -> session.send(
        new ServerMessage.History(rid, conversation, new ServerMessage.CustomerProfile(h.customer().id(),
            h.customer().name(), Masking.contact(h.customer().contact()), h.customer().externalId(),
            Boolean.TRUE.equals(h.customer().under14()) ? true : null),
            h.earlier().stream().map(r -> new ServerMessage.PastConversation(views.view(r.conversation()),
                r.messages().stream().map(m -> sessions.message(r.conversation(), m, true)).toList())).toList(),
            h.truncated(), h.botFields().stream()
                .map(v -> new ServerMessage.BotField(v.name(), v.label(), v.shown())).toList())));
  }
}
