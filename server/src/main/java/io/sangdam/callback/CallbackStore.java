package io.sangdam.callback;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Callback requests in the database. Implemented in {@code store}; every method blocks. */
public interface CallbackStore {

  /** A request to store; {@code conversationId} null unless the bot took it. */
  record NewCallback(long tenantId, long centerId, long queueId, long customerId, Long conversationId,
      String clientId, String phone, String customerNote, Instant slotAt, Instant createdAt) {}

  /** What a list is narrowed by; null fields do not narrow. {@code slotFrom}/{@code slotTo}: the slot, half-open. */
  record Filter(long tenantId, Long centerId, Long queueId, CallbackState state, Instant slotFrom, Instant slotTo,
      int offset, int limit) {}

  /** The request stored, or the one the customer made before with the same client id (nothing new stored). */
  Callback insert(NewCallback c);

  Optional<Callback> byClientId(long customerId, String clientId);

  Optional<Callback> find(long tenantId, long id);

  /**
   * An agent's queue: OPEN requests of {@code queueIds} (of their center) due by {@code dueBy}, and those
   * {@code agentId} has claimed, earliest due first, at most {@code limit}.
   */
  List<Callback> due(long centerId, Set<Long> queueIds, long agentId, Instant dueBy, int limit);

  /** Slot order, latest first. */
  List<Callback> list(Filter filter);

  /**
   * Claims an OPEN request of the center for the agent, in one conditional update: false when it is not OPEN (or
   * not the center's), so of two agents at once exactly one wins, on any node.
   */
  boolean claim(long centerId, long id, long agentId, Instant at);

  /**
   * Records the outcome of the call the agent claimed, with the attempt, in one transaction: a final outcome closes
   * the request, no answer puts it back OPEN due at {@code retryAt}. False when the agent holds no claim on it.
   */
  boolean recordOutcome(long centerId, long id, long agentId, CallOutcome outcome, String note, Instant retryAt,
      Instant at);

  /** The requests whose slot lies in the range, of a tenant (and center, queue: null for all), for the figures. */
  List<Callback> forFigures(long tenantId, Long centerId, Long queueId, Instant slotFrom, Instant slotTo);
}
