package io.sangdam.presence;

import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.Note;
import io.sangdam.chat.OfflineInquiry;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.protocol.ServerMessage;
import io.sangdam.protocol.ServerMessage.AgentRef;
import io.sangdam.protocol.ServerMessage.ConversationView;
import io.sangdam.protocol.ServerMessage.CustomerRef;
import io.sangdam.protocol.ServerMessage.UserView;
import java.util.function.LongPredicate;

/** Renders domain objects as the wire shapes of PROTOCOL.md, resolving ids to codes through the directory's snapshot. */
final class ConversationViews {
  private final Directory directory;

  private final LongPredicate customerOnline;

  /** {@code customerOnline}: whether a session of the customer (by id) is connected to this node. */
  ConversationViews(Directory directory, LongPredicate customerOnline) {
    this.directory = directory;
    this.customerOnline = customerOnline;
  }

  ConversationView view(Conversation c) {
    AgentRef agent = c.agentId() == null ? null
        : directory.user(c.agentId()).map(u -> new AgentRef(u.username(), u.name())).orElse(null);
    return new ConversationView(c.id(),
        directory.tenant(c.tenantId()).map(Tenant::code).orElse(null),
        directory.center(c.centerId()).map(Center::code).orElse(null),
        directory.queue(c.queueId()).map(Queue::code).orElse(null), c.channel(),
        c.state().name(), new CustomerRef(c.customerId(), c.customerName()), agent, c.createdAt().toString(),
        c.lastSeq(), c.hasCustomerSocket() ? customerOnline.test(c.customerId()) : null);
  }

  ServerMessage.InquiryView inquiry(OfflineInquiry i) {
    return new ServerMessage.InquiryView(i.id(), directory.queue(i.queueId()).map(Queue::code).orElse(null),
        new CustomerRef(i.customerId(), i.customerName()), i.contact(), i.text(), i.createdAt().toString());
  }

  ServerMessage.NoteView note(Note n) {
    AgentRef author = directory.user(n.authorId()).map(u -> new AgentRef(u.username(), u.name())).orElse(null);
    return new ServerMessage.NoteView(n.conversationId(), n.id(), n.kind(), author, n.body(), n.at().toString());
  }

  String agentName(long agentId) {
    return directory.user(agentId).map(User::name).orElse("");
  }

  UserView user(Principal p) {
    User u = p.user();
    return new UserView(u.id(), u.username(), u.name(), u.role().name(), p.tenantCode(), p.centerCode(),
        p.permissions().stream().sorted().map(Permission::code).toList(),
        p.customRole() == null ? null : new ServerMessage.RoleRef(p.customRole().id(), p.customRole().name()));
  }
}
