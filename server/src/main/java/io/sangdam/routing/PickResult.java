package io.sangdam.routing;

/** The answer of an engine to a pick or a direct hand-over. */
public enum PickResult {
  ASSIGNED,
  /** Not waiting (any more): taken by someone else, ended, or never there. */
  NOT_WAITING,
  /** Not in one of the agent's queues, or the agent is not available. */
  NOT_YOURS,
  /** The agent has no room. */
  FULL,
  /** The agent is OFFLINE: only ONLINE or AWAY agents pick. */
  OFFLINE
}
