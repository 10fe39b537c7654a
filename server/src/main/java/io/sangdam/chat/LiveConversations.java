package io.sangdam.chat;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The open conversations of this node and their live state, in memory, so checking who may act on
 * what costs no query: the one owner of that state. Rebuilt from the database at start, and per
 * center as this node takes centers up and gives them up ({@link CenterOwnership}). Changes
 * are atomic per conversation; the actions (start, send, end, hand-overs, routing's decisions)
 * change it only through here. Thread-safe.
 */
public final class LiveConversations {
  private final Map<Long, Conversation> byId = new ConcurrentHashMap<>();
  /** Notes left by a transfer to a queue, shown to whichever agent gets the conversation next. */
  private final Map<Long, String> transferNotes = new ConcurrentHashMap<>();

  /** The open conversation, if {@code who} takes part in it: for what participants tell each other (typing, read). */
  public Optional<Conversation> openFor(Participant who, long conversationId) {
    return get(conversationId).filter(c -> c.state().isOpen() && who.belongsTo(c));
  }

  public List<Conversation> openForCustomer(long customerId) {
    return matching(c -> c.customerId() == customerId);
  }

  public List<Conversation> openForAgent(long agentId) {
    return matching(c -> c.isAssignedTo(agentId));
  }

  /** The center of an open conversation this node knows of. */
  public OptionalLong centerOf(long conversationId) {
    Conversation c = byId.get(conversationId);
    return c == null ? OptionalLong.empty() : OptionalLong.of(c.centerId());
  }

  Optional<Conversation> get(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  void put(Conversation c) {
    byId.put(c.id(), c);
  }

  /** Adds a conversation loaded from the database unless it is live already (and maybe newer). */
  boolean putIfAbsent(Conversation c) {
    return byId.putIfAbsent(c.id(), c) == null;
  }

  /** The open conversations of a center, oldest first. */
  List<Conversation> ofCenter(long centerId) {
    return matching(c -> c.centerId() == centerId);
  }

  /** The conversation ended: it and what was left for its next agent are gone. */
  void remove(long id) {
    byId.remove(id);
    transferNotes.remove(id);
  }

  /**
   * Applies {@code change} atomically when present; a change that returns null leaves the
   * conversation as it is. Returns the conversation after the change, or empty when absent or refused.
   */
  Optional<Conversation> update(long id, UnaryOperator<Conversation> change) {
    Conversation[] changed = new Conversation[1];
    byId.computeIfPresent(id, (k, c) -> {
      Conversation next = change.apply(c);
      changed[0] = next;
      return next == null ? c : next;
    });
    return Optional.ofNullable(changed[0]);
  }

  List<Conversation> matching(Predicate<Conversation> filter) {
    return byId.values().stream().filter(filter).sorted(Comparator.comparing(Conversation::createdAt)).toList();
  }

  int size() {
    return byId.size();
  }

  /** A transfer to a queue left {@code note} for the next agent. */
  void leaveTransferNote(long conversationId, String note) {
    transferNotes.put(conversationId, note);
  }

  /** The note left for the agent who now has the conversation, taken so nobody else is given it; null when none. */
  String takeTransferNote(long conversationId) {
    return transferNotes.remove(conversationId);
  }

  /** The transfer that left a note failed: nobody is given it. */
  void dropTransferNote(long conversationId) {
    transferNotes.remove(conversationId);
  }
}
