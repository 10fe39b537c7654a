package io.sangdam.presence;

import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationState;
import io.sangdam.protocol.SangdamException;
import java.util.concurrent.CompletableFuture;

/**
 * Around a supervision handler's test: the {@link Desk}, conversation 5 assigned to kim in
 * seoul (conversation 6 closed, no other), the audit log, the access records, and {@link Supervision} over them.
 */
final class SupervisionDesk {
  final Desk desk = new Desk();
  final RecordedAudit audit = new RecordedAudit();
  final RecordedAccess access = new RecordedAccess();
  final Conversation open = desk.conversation(5, desk.kim.id(), ConversationState.ASSIGNED);
  final Supervision supervision = new Supervision(this::lookup, desk.directory, audit, access,
      Desk.AT_ONCE);

  private CompletableFuture<Conversation> lookup(long id) {
    if (id == 5) {
      return CompletableFuture.completedFuture(open);
    }
    if (id == 6) {
      return CompletableFuture.completedFuture(desk.conversation(6, desk.kim.id(), ConversationState.CLOSED));
    }
    return CompletableFuture.failedFuture(SangdamException.notFound("conversation " + id));
  }
}
