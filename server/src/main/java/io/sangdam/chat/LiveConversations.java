package io.sangdam.chat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
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
  /**
   * The ids of each customer's conversations in {@link #byId} and {@link #copies}: a customer's are found without
   * reading every open conversation, which each of their connects and disconnects asks for. Added to after a
   * conversation is put in a map and taken from (with a look at both maps, under the customer's key) after it left
   * them, so it never lacks one the maps hold; what it names is checked against the maps when read.
   */
  private final Map<Long, Set<Long>> byCustomer = new ConcurrentHashMap<>();
  /** Notes left by a transfer to a queue, shown to whichever agent gets the conversation next. */
  private final Map<Long, String> transferNotes = new ConcurrentHashMap<>();

  /** The open conversation, if {@code who} takes part in it: for what participants tell each other (typing, read). */
  public Optional<Conversation> openFor(Participant who, long conversationId) {
    return known(conversationId).filter(c -> c.state().isOpen() && who.belongsTo(c));
  }

  /** The customer's open conversations, wherever they are owned. */
  public List<Conversation> openForCustomer(long customerId) {
    return ofCustomer(customerId, true);
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
    return ofCustomer(customerId, false);
  }

  /** The customer's conversations owned here and, with {@code copiesToo}, the copies of others', oldest first. */
  private List<Conversation> ofCustomer(long customerId, boolean copiesToo) {
    Set<Long> ids = byCustomer.get(customerId);
    if (ids == null) {
      return List.of();
    }
    List<Conversation> found = new ArrayList<>();
    for (Long id : ids) {
      Conversation c = byId.get(id);
      if (c == null && copiesToo) {
        c = copies.get(id);
      }
      if (c != null && c.customerId() == customerId) {
        found.add(c);
      }
    }
    found.sort(Comparator.comparing(Conversation::createdAt));
    return found;
  }

  /** After {@code c} was put in a map. */
  private void indexed(Conversation c) {
    byCustomer.computeIfAbsent(c.customerId(), k -> ConcurrentHashMap.newKeySet()).add(c.id());
  }

  /** After conversation {@code id} of {@code customerId} left a map: forgotten unless a map holds it still. */
  private void unindexed(long customerId, long id) {
    byCustomer.computeIfPresent(customerId, (k, ids) -> {
      if (!heldFor(byId.get(id), customerId) && !heldFor(copies.get(id), customerId)) {
        ids.remove(id);
      }
      return ids.isEmpty() ? null : ids;
    });
  }

  private static boolean heldFor(Conversation c, long customerId) {
    return c != null && c.customerId() == customerId;
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
      Conversation before = copies.put(c.id(), c);
      indexed(c);
      if (before != null && before.customerId() != c.customerId()) {
        unindexed(before.customerId(), c.id());
      }
    }
  }

  /** This node's copy of a conversation another node owns, if it has one. */
  Optional<Conversation> copyOf(long id) {
    return Optional.ofNullable(copies.get(id));
  }

  /** Another node's conversation ended. */
  void dropCopy(long id) {
    ended.put(id, Boolean.TRUE);
    Conversation copy = copies.remove(id);
    if (copy != null) {
      unindexed(copy.customerId(), id);
    }
  }

  Optional<Conversation> get(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  void put(Conversation c) {
    Conversation before = byId.put(c.id(), c);
    indexed(c);
    Conversation copy = copies.remove(c.id());
    forgetOther(before, c);
    forgetOther(copy, c);
  }

  /** {@code was} (null: none) held the id of {@code now} for another customer: not theirs any more. */
  private void forgetOther(Conversation was, Conversation now) {
    if (was != null && was.customerId() != now.customerId()) {
      unindexed(was.customerId(), now.id());
    }
  }

  /**
   * Adds a conversation loaded from the database unless it is live already (and maybe newer); a copy
   * of it kept while another node owned it is replaced by what the database says.
   */
  boolean putIfAbsent(Conversation c) {
    Conversation live = byId.putIfAbsent(c.id(), c);
    indexed(live == null ? c : live);
    forgetOther(copies.remove(c.id()), live == null ? c : live);
    return live == null;
  }

  /** The open conversations of a center, oldest first. */
  List<Conversation> ofCenter(long centerId) {
    return matching(c -> c.centerId() == centerId);
  }

  /** The conversation ended: it and what was left for its next agent are gone. */
  void remove(long id) {
    Conversation c = byId.remove(id);
    transferNotes.remove(id);
    if (c != null) {
      unindexed(c.customerId(), id);
    }
  }

  /** Another node owns the conversation now: kept as a copy, for this node's sessions, until its events say more. */
  void giveUp(long id) {
    Conversation c = byId.remove(id);
    transferNotes.remove(id);
    if (c != null) {
      copies.put(id, c);
      indexed(c); // it was: kept so for any look at the maps in between
    }
  }

  /**
   * Applies {@code change} atomically when present; a change that returns null leaves the
   * conversation as it is. Returns the conversation after the change, or empty when absent or refused.
   */
  Optional<Conversation> update(long id, UnaryOperator<Conversation> change) {
    Conversation[] changed = new Conversation[1];
    Conversation[] was = new Conversation[1];
    byId.computeIfPresent(id, (k, c) -> {
      Conversation next = change.apply(c);
      changed[0] = next;
      was[0] = c;
      return next == null ? c : next;
    });
    if (changed[0] != null && changed[0].customerId() != was[0].customerId()) {
      indexed(changed[0]);
      unindexed(was[0].customerId(), id);
    }
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
