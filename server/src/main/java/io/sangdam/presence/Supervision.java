package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.accesslog.AccessLog;
import io.sangdam.accesslog.AccessRecord;
import io.sangdam.accesslog.Reader;
import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.chat.Conversation;
import io.sangdam.directory.Directory;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What the supervision frames share ({@link WatchConversation}, {@link Whisper}, {@link TakeOver},
 * {@link Reassign}): a center manager or a wider role, acting on an open conversation in their
 * scope, and each act audited before it is answered.
 */
final class Supervision {
  private final Chat.Lookup lookup;
  private final Directory directory;
  private final AuditLog audit;
  private final AccessLog access;
  private final Executor blocking;

  Supervision(Chat.Lookup lookup, Directory directory, AuditLog audit, AccessLog access, Executor blocking) {
    this.lookup = lookup;
    this.directory = directory;
    this.audit = audit;
    this.access = access;
    this.blocking = blocking;
  }

  /** The session's user, who must be a supervisor: checked before the frame's fields. */
  Principal supervisor(AgentSession session) {
    Principal p = session.principal();
    Access.require(p, Permission.CONVERSATIONS_SUPERVISE);
    return p;
  }

  /** The conversation, if it is open and in {@code p}'s scope; {@code not_found} when out of it. */
  CompletableFuture<Conversation> inScope(Principal p, long conversation) {
    return lookup.lookup(conversation).thenApplyAsync(c -> {
      boolean sees = directory.center(c.centerId()).filter(center -> Access.sees(p, center)).isPresent();
      if (!sees) {
        throw SangdamException.notFound("conversation " + conversation);
      }
      if (!c.state().isOpen()) {
        throw new SangdamException(ErrorCode.CONVERSATION_CLOSED, "conversation " + conversation + " is closed");
      }
      return c;
    }, blocking);
  }

  /**
   * The conversation once {@code p}'s watch of it is on the access records: a supervisor is shown nothing of a
   * conversation whose watch could not be recorded.
   */
  CompletableFuture<Conversation> recordedWatch(AgentSession session, Principal p,
      CompletableFuture<Conversation> inScope) {
    Reader reader = new Reader(p, session.remoteAddress());
    return inScope.thenApplyAsync(c -> {
      access.record(AccessRecord.of(reader, c.tenantId(), c.centerId(), "watch", "conversation " + c.id(),
          List.of(c.customerId()), null));
      return c;
    }, blocking);
  }

  /**
   * Sends {@code answer} once the act ({@code "supervision." + type}, naming {@code target} if any)
   * is audited: what a supervisor was told they did is on the record.
   */
  void answerAudited(AgentSession session, JsonNode rid, String type, Principal p,
      CompletableFuture<Conversation> inScope, CompletableFuture<ServerMessage> answer, String target) {
    // On the blocking executor: both may be complete already (the event loop) or complete on message delivery.
    String remote = session.remoteAddress();
    session.reply(rid, answer.thenCombineAsync(inScope, (m, c) -> {
      audit.record(new AuditEntry(p.id(), p.user().username(), c.tenantId(), c.centerId(),
          "supervision." + type, "conversation " + c.id(), target, remote));
      return m;
    }, blocking), session::send);
  }
}
