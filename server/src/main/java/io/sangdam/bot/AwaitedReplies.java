package io.sangdam.bot;

import static java.util.Objects.requireNonNull;

import io.sangdam.routing.Timers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests external bots answered 202 and have not replied to yet, per conversation, oldest first, each with the
 * timer that gives up on its reply. Kept in memory on the node that owns the conversation's center; a conversation's
 * entries are changed only within its bot's turns, one at a time.
 */
final class AwaitedReplies {
  private record Awaited(String requestId, long endpointId, Timers.Cancellable timer) {}

  private final Timers timers;
  private final ConcurrentHashMap<Long, List<Awaited>> byConversation = new ConcurrentHashMap<>();

  AwaitedReplies(Timers timers) {
    this.timers = requireNonNull(timers, "timers");
  }

  /** Awaits the endpoint's reply to {@code requestId}; {@code givenUp} runs once its bound passed. */
  void await(long conversationId, String requestId, BotEndpoint endpoint, Runnable givenUp) {
    Timers.Cancellable timer = timers.schedule(endpoint.replyWithin(), givenUp);
    byConversation.computeIfAbsent(conversationId, k -> new ArrayList<>())
        .add(new Awaited(requestId, endpoint.id(), timer));
  }

  boolean awaits(long conversationId, String requestId, long endpointId) {
    return byConversation.getOrDefault(conversationId, List.of()).stream()
        .anyMatch(a -> a.requestId().equals(requestId) && a.endpointId() == endpointId);
  }

  /**
   * Stops awaiting {@code requestId} and every request before it: a reply answers the conversation so far. False
   * when it was not awaited.
   */
  boolean settle(long conversationId, String requestId) {
    List<Awaited> list = byConversation.getOrDefault(conversationId, List.of());
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).requestId().equals(requestId)) {
        settleThrough(conversationId, list, i);
        return true;
      }
    }
    return false;
  }

  /** Stops awaiting every request of the conversation: the bot answered a later message at once. */
  void settleAll(long conversationId) {
    List<Awaited> list = byConversation.getOrDefault(conversationId, List.of());
    if (!list.isEmpty()) {
      settleThrough(conversationId, list, list.size() - 1);
    }
  }

  private void settleThrough(long conversationId, List<Awaited> list, int last) {
    List<Awaited> done = list.subList(0, last + 1);
    done.forEach(a -> a.timer().cancel());
    done.clear();
    if (list.isEmpty()) {
      byConversation.remove(conversationId);
    }
  }
}
