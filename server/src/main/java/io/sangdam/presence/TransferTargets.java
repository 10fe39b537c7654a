package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.chat.Conversation;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The agent socket's {@code transferTargets}, for the transfer dialog: the other enabled agents and
 * managers of the agent's center, each with whether they could take this chat now (as
 * {@code transfer} with {@code toAgent} checks it), and the enabled queues of the tenant's enabled
 * centers, the agent's own center first.
 */
final class TransferTargets {
  private TransferTargets() {}

  /** For an open conversation assigned to {@code p}; else {@code not_found}. Blocks on the directory. */
  static ServerMessage.TransferTargets of(SessionFactory ctx, Principal p, long conversation, JsonNode rid) {
    Conversation c = ctx.lookup.find(conversation)
        .filter(x -> x.state().isOpen() && x.isAssignedTo(p.id()))
        .orElseThrow(() -> SangdamException.notFound("conversation " + conversation));
    int queueMax = ctx.directory.queue(c.queueId()).map(Queue::maxChatsPerAgent).orElse(Directory.DEFAULT_MAX_CHATS);
    List<ServerMessage.TransferAgent> agents = ctx.directory.users(p.tenantId()).stream()
        .filter(u -> u.enabled() && u.id() != p.id() && p.centerId().equals(u.centerId())
            && (u.role() == Role.AGENT || u.role() == Role.CENTER_MANAGER))
        .map(u -> {
          AgentStatus status = ctx.sessions.status(u.id());
          int open = ctx.live.openForAgent(u.id()).size();
          int max = u.maxChats() != null ? u.maxChats() : queueMax;
          return new ServerMessage.TransferAgent(u.username(), u.name(), status.name(), open, max,
              status == AgentStatus.ONLINE && open < max);
        })
        .toList();
    List<ServerMessage.TransferQueue> queues = new ArrayList<>();
    List<Center> centers = new ArrayList<>(ctx.directory.centers(p.tenantId()));
    centers.sort(Comparator.comparing((Center center) -> center.id() != p.centerId()));
    for (Center center : centers) {
      if (center.enabled()) {
        ctx.directory.queues(center.id()).stream().filter(Queue::enabled).forEach(q -> queues.add(
            new ServerMessage.TransferQueue(center.code() + "/" + q.code(), center.code(), center.name(), q.code(),
                q.name())));
      }
    }
    return new ServerMessage.TransferTargets(rid, conversation, agents, queues);
  }
}
