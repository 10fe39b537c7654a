package io.sangdam.stats;

import java.time.Instant;

/** Reads an agent's closed conversations. Implemented in {@code store}; methods block. */
public interface AgentDayStore {
  /** The conversations the agent ended carrying, closed in {@code [from, to)}. */
  AgentDay closedBy(long agentId, Instant from, Instant to);
}
