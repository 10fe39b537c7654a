package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Any conversation, open (from the live state) or not (from the database), and why one may not be acted on. */
public final class ConversationLookup {
  private final LiveConversations live;
  private final ChatStore store;
  private final BlockingWork work;

  public ConversationLookup(LiveConversations live, ChatStore store, Executor blocking) {
    this.live = requireNonNull(live, "live");
    this.store = requireNonNull(store, "store");
    this.work = new BlockingWork(requireNonNull(blocking, "blocking"));
  }

  /** Any conversation, open or not, for a caller already on the blocking executor. Blocks. */
  public Optional<Conversation> find(long conversationId) {
    return live.get(conversationId).or(() -> store.conversation(conversationId));
  }

  /** Any conversation, open or not: for a supervisor's scope check. */
  public CompletableFuture<Conversation> lookup(long conversationId) {
    return work.async(() -> find(conversationId)
        .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId)));
  }

  /** Why a participant may not act on a conversation: it has ended, or (to them) it does not exist. Blocks. */
  public SangdamException refusal(Participant who, long conversationId) {
    Optional<Conversation> c = store.conversation(conversationId).filter(who::belongsTo);
    if (c.isPresent() && !c.get().state().isOpen()) {
      return new SangdamException(ErrorCode.CONVERSATION_CLOSED, "conversation " + conversationId + " is closed");
    }
    if (c.isPresent() && live.get(conversationId).filter(now -> !now.state().isOpen()).isPresent()) {
      // Being ended here: the live state ends first, the database once the messages accepted before are
      // committed. Not closed yet: an end that fails (the database refusing) leaves it open, and a client
      // told closed would not send again.
      return new SangdamException(ErrorCode.UNAVAILABLE, "conversation " + conversationId + " is being closed; "
          + "try again in a moment");
    }
    if (c.isPresent() && live.get(conversationId).isEmpty()) {
      // Open, yet live nowhere here: between two nodes (moved to a center another node owns, or its center
      // changing owners). The client sends again in a moment, to the node that has it by then.
      return new SangdamException(ErrorCode.UNAVAILABLE, "conversation " + conversationId + " is being handed "
          + "over to another server; try again in a few seconds");
    }
    if (c.isPresent() && live.get(conversationId).filter(who::belongsTo).isPresent()) {
      // Theirs and live here now, though it was not a moment ago when they were refused: its start (another
      // node's, forwarded here) was committed but not yet live. Sent again, it is taken.
      return new SangdamException(ErrorCode.UNAVAILABLE, "conversation " + conversationId + " is just being "
          + "opened; try again in a moment");
    }
    return SangdamException.notFound("conversation " + conversationId);
  }

  /** The refusal as a failed future, decided on the blocking executor. */
  <T> CompletableFuture<T> refused(Participant who, long conversationId) {
    return work.async(() -> {
      throw refusal(who, conversationId);
    });
  }
}
