package io.sangdam.routing;

import java.util.List;

/**
 * What the engines decide, for chat to carry out (persist, then publish). Called on an engine's
 * thread: must not block. When a decision cannot be carried out, chat reports back through
 * {@link Routing#released} and {@link Routing#offer}.
 */
public interface RoutingListener {
  /** {@code picked}: the agent took it from the waiting list, rather than routing pushing it. */
  void assign(long centerId, long conversationId, long agentId, boolean picked);

  /** Waiting customers whose position or estimated wait changed. */
  void positions(List<Position> changed);

  /** A conversation waited its queue's overflow time and leaves it for {@code targetQueueId}. */
  void overflow(long conversationId, long targetQueueId);

  /**
   * An agent stayed offline past the grace period; these conversations must wait again. They count
   * against the agent's capacity until each is {@link Routing#released released} (or ended), so an
   * agent back meanwhile is given no more than their room.
   */
  void agentGone(long centerId, long agentId, List<Long> conversationIds);

  /** The waiting list of a MANUAL queue changed: agents of the queue should see it live. */
  void manualWaitingChanged(long centerId, long queueId, long conversationId, boolean added);
}
