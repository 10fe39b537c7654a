package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Principal;
import io.sangdam.chat.Conversation;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;

/**
 * {@code transferTargets}, for the transfer dialog: the other enabled agents and managers of the
 * agent's center, each with whether they could take this chat now (as {@code transfer} with
 * {@code toAgent} checks it), and the enabled queues of the tenant's enabled centers, the agent's
 * own center first.
 */
final class TransferTargets implements FrameHandler<AgentSession> {
  private final Directory directory;
  private final Chat.Find find;
  private final LongFunction<List<Conversation>> openForAgent;
  private final Sessions sessions;
  private final Executor blocking;

  /** {@code openForAgent}: the open conversations assigned to a user. */
  TransferTargets(Directory directory, Chat.Find find, LongFunction<List<Conversation>> openForAgent,
      Sessions sessions, Executor blocking) {
    this.directory = directory;
    this.find = find;
    this.openForAgent = openForAgent;
    this.sessions = sessions;
    this.blocking = blocking;
  }

  @Override
  public void handle(AgentSession session, Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    Principal p = session.principal();
    session.reply(rid, CompletableFuture.supplyAsync(() -> of(p, conversation, rid), blocking), session::send);
  }

  /** For an open conversation assigned to {@code p}; else {@code not_found}. Blocks on the directory. */
  private ServerMessage.TransferTargets of(Principal p, long conversation, JsonNode rid) {
    Conversation c = find.find(conversation)
        .filter(x -> x.state().isOpen() && x.isAssignedTo(p.id()))
        .orElseThrow(() -> SangdamException.notFound("conversation " + conversation));
    int queueMax = directory.queue(c.queueId()).map(Queue::maxChatsPerAgent).orElse(Directory.DEFAULT_MAX_CHATS);
    List<ServerMessage.TransferAgent> agents = directory.users(p.tenantId()).stream()
        .filter(u -> u.enabled() && u.id() != p.id() && p.centerId().equals(u.centerId())
            && (u.role() == Role.AGENT || u.role() == Role.CENTER_MANAGER))
        .map(u -> {
          AgentStatus status = sessions.status(u.id());
          int open = openForAgent.apply(u.id()).size();
          int max = u.maxChats() != null ? u.maxChats() : queueMax;
          return new ServerMessage.TransferAgent(u.username(), u.name(), status.name(), open, max,
              status == AgentStatus.ONLINE && open < max);
        })
        .toList();
    List<ServerMessage.TransferQueue> queues = new ArrayList<>();
    List<Center> centers = new ArrayList<>(directory.centers(p.tenantId()));
    centers.sort(Comparator.comparing((Center center) -> center.id() != p.centerId()));
    for (Center center : centers) {
      if (center.enabled()) {
        directory.queues(center.id()).stream().filter(Queue::enabled).forEach(q -> queues.add(
            new ServerMessage.TransferQueue(center.code() + "/" + q.code(), center.code(), center.name(), q.code(),
                q.name())));
      }
    }
    return new ServerMessage.TransferTargets(rid, conversation, agents, queues);
  }
}
