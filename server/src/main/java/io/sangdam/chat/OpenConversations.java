package io.sangdam.chat;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** The open conversations of this node, in memory, so checking who may act on what costs no query. Thread-safe. */
final class OpenConversations {
  private final Map<Long, Conversation> byId = new ConcurrentHashMap<>();

  Optional<Conversation> get(long id) {
    return Optional.ofNullable(byId.get(id));
  }

  void put(Conversation c) {
    byId.put(c.id(), c);
  }

  void remove(long id) {
    byId.remove(id);
  }

  /** Replaces {@code expected} by {@code next} only if nothing changed it meanwhile. */
  boolean replace(Conversation expected, Conversation next) {
    return byId.replace(expected.id(), expected, next);
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
}
