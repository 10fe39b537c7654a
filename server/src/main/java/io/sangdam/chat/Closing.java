package io.sangdam.chat;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.Routing;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/** The end of a conversation: closed by its agent, left by its customer, or ended by a timeout. */
public final class Closing {
  private final LiveConversations live;
  private final ChatStore store;
  private final MessageLog messages;
  private final Routing routing;
  private final ConversationEvents events;
  private final ConversationLookup lookup;
  private final BlockingWork work;
  private final Clock clock;

  public Closing(LiveConversations live, ChatStore store, MessageLog messages, Routing routing,
      ConversationEvents events, ConversationLookup lookup, Executor blocking, Clock clock) {
    this.live = requireNonNull(live, "live");
    this.store = requireNonNull(store, "store");
    this.messages = requireNonNull(messages, "messages");
    this.routing = requireNonNull(routing, "routing");
    this.events = requireNonNull(events, "events");
    this.lookup = requireNonNull(lookup, "lookup");
    this.work = new BlockingWork(requireNonNull(blocking, "blocking"));
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * The agent ends an assigned conversation, filing it under {@code categoryId} (checked by the
   * caller) with {@code tags}. Completes with the reason once the end is announced.
   */
  public CompletableFuture<String> close(long agentId, long conversationId, Long categoryId, List<String> tags,
      long originSession) {
    return end(Participant.agent(agentId), conversationId, c -> c.state() != ConversationState.WAITING
        ? c.withState(ConversationState.CLOSED) : null, "agent", originSession, categoryId, tags);
  }

  /**
   * The customer leaves: a conversation nobody has answered yet (waiting, or assigned before the
   * agent's first message) is abandoned, an answered one closed. Completes with the reason.
   */
  public CompletableFuture<String> leave(long customerId, long conversationId, long originSession) {
    return end(Participant.customer(customerId), conversationId, c -> c.withState(
        c.abandonable() ? ConversationState.ABANDONED : ConversationState.CLOSED),
        null, originSession, null, List.of());
  }

  /**
   * The bot ends a conversation it owns (an end node, or an inquiry left): closed with reason {@code bot}, never
   * offered to an agent. Completes with the reason.
   */
  public CompletableFuture<String> endByBot(long customerId, long conversationId) {
    return end(Participant.customer(customerId), conversationId, c -> c.state() == ConversationState.BOT
        ? c.withState(ConversationState.CLOSED) : null, "bot", 0, null, List.of());
  }

  /**
   * Ends a conversation: the live state changes first, so nothing more is accepted; then every
   * message already accepted is committed (the barrier), then the end is persisted and announced.
   * A {@code transition} that returns null refuses the end.
   */
  CompletableFuture<String> end(Participant who, long conversationId, UnaryOperator<Conversation> transition,
      String reasonOrNull, long originSession, Long categoryId, List<String> tags) {
    Conversation[] before = new Conversation[1];
    Optional<Conversation> ended = live.update(conversationId, c -> {
      Conversation next = c.state().isOpen() && who.belongsTo(c) ? transition.apply(c) : null;
      before[0] = next == null ? null : c;
      return next;
    });
    if (ended.isEmpty()) {
      return lookup.refused(who, conversationId);
    }
    Conversation was = before[0];
    Conversation c = ended.get();
    String reason = reasonOrNull != null ? reasonOrNull
        : c.state() == ConversationState.ABANDONED ? "abandoned" : "customer";
    return messages.barrier().thenApplyAsync(x -> {
      if (categoryId != null || !tags.isEmpty()) {
        store.classify(conversationId, categoryId, tags);
      }
      if (!store.markEnded(conversationId, c.state(), reason, StoredTime.now(clock))) {
        throw SangdamException.notFound("conversation " + conversationId);
      }
      return reason;
    }, work.executor()).handle((r, e) -> {
      if (e != null) {
        live.update(conversationId, cur -> cur.state() == c.state() ? was.withMessage(cur.lastSeq(), cur.answered()) : null);
        return CompletableFuture.<String>failedFuture(e);
      }
      live.remove(conversationId);
      // Routing learns of the end once it is told, so the agent hears closed before any chat that takes its
      // place; and whoever ended it is answered after every message of the conversation pushed before.
      return events.publish(new ConversationEvent.Closed(c, reason, originSession)).thenApply(delivered -> {
        if (was.state() == ConversationState.WAITING) {
          routing.withdraw(was.centerId(), conversationId);
        } else if (was.state() != ConversationState.BOT) {
          routing.ended(was.centerId(), was.agentId(), conversationId);
        }
        return r;
      });
    }).thenCompose(answer -> answer);
  }
}
