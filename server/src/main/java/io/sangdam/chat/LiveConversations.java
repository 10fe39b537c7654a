package io.sangdam.chat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
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
 *
 * <p>With many nodes it also keeps copies of the open conversations other nodes own, as their
 * events describe them ({@link ConversationMirror}): the public reads, which sessions make, see
 * both; chat's own actions see only what this node owns.
 */
public final class LiveConversations {
  private final Map<Long, Conversation> byId = new ConcurrentHashMap<>();
  private final Map<Long, Conversation> copies = new ConcurrentHashMap<>();
  /**
   * Other nodes' conversations told ended lately: an event of one that comes in after its end (the events of a
   * conversation reach a node over more than one path) must not bring its copy back. An hour is far longer than
   * any such delay; the bound keeps the memory small on a busy day.
   */
  private final Cache<Long, Boolean> ended = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1))
      .maximumSize(200_000).build();
  /** Notes left by a transfer to a queue, shown to whichever agent gets the conversation next. */
  private final Map<Long, String> transferNotes = new ConcurrentHashMap<>();

  /** The open conversation, if {@code who} takes part in it: for what participants tell each other (typing, read). */
  public Optional<Conversation> openFor(Participant who, long conversationId) {
    return known(conversationId).filter(c -> c.state().isOpen() && who.belongsTo(c));
  }

  /** The customer's open conversations, wherever they are owned. */
  public List<Conversation> openForCustomer(long customerId) {
    return everywhere(c -> c.customerId() == customerId);
  }

  /** The agent's open conversations, wherever they are owned. */
  public List<Conversation> openForAgent(long agentId) {
    return everywhere(c -> c.isAssignedTo(agentId));
  }

  /** The center of an open conversation this node knows of, owned here or elsewhere. */
  public OptionalLong centerOf(long conversationId) {
    return known(conversationId).map(c -> OptionalLong.of(c.centerId())).orElse(OptionalLong.empty());
  }

  private Optional<Conversation> known(long id) {
    Conversation c = byId.get(id);
    return Optional.ofNullable(c != null ? c : copies.get(id));
  }

  private List<Conversation> everywhere(Predicate<Conversation> filter) {
    return java.util.stream.Stream.concat(byId.values().stream(), copies.values().stream()).filter(filter)
        .sorted(Comparator.comparing(Conversation::createdAt)).toList();
  }

  /** The customer's open conversations that this node owns. */
  List<Conversation> ownedForCustomer(long customerId) {
    return matching(c -> c.customerId() == customerId);
  }

  /**
   * Another node's conversation as its latest event describes it; one owned here is left alone. An event that
   * shows it ended (its end notice, stored as it closed, may be told after the end itself) removes the copy: a
   * copy is of an open conversation only, or a customer's welcome would list an ended one as open.
   */
  void keepCopy(Conversation c) {
    if (!c.state().isOpen()) {
      dropCopy(c.id());
    } else if (!byId.containsKey(c.id()) && ended.getIfPresent(c.id()) == null) {
      copies.put(c.id(), c);
    }
  }

  /** This node's copy of a conversation another node owns, if it has one. */
  Optional<Conversation> copyOf(long id) {
    return Optional.ofNullable(copies.get(id));
  }

  /** Another node's conversation ended. */
  void dropCopy(long id) {
    ended.put(id, Boolean.TRUE);
    copies.remove(id);
  }

  Optional<Conversation> get(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  void put(Conversation c) {
    byId.put(c.id(), c);
    copies.remove(c.id());
  }

  /**
   * Adds a conversation loaded from the database unless it is live already (and maybe newer); a copy
   * of it kept while another node owned it is replaced by what the database says.
   */
  boolean putIfAbsent(Conversation c) {
    boolean added = byId.putIfAbsent(c.id(), c) == null;
    copies.remove(c.id());
    return added;
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

  /** Another node owns the conversation now: kept as a copy, for this node's sessions, until its events say more. */
  void giveUp(long id) {
    Conversation c = byId.remove(id);
    transferNotes.remove(id);
    if (c != null) {
      copies.put(id, c);
    }
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
