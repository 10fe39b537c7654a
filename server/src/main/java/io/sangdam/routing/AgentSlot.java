package io.sangdam.routing;

import io.sangdam.directory.Queue;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** One agent as an engine sees it. Mutated only on the engine's thread, and only inside {@code RoutingEngine.update}. */
final class AgentSlot {
  /** An open conversation: which queue it came from and when it was assigned (for handle times). */
  record Carried(long queueId, Instant assignedAt) {}

  final long id;
  AgentProfile profile;
  /** ONLINE: may receive conversations. */
  boolean available;
  /**
   * ONLINE or AWAY: at work; an agent who is neither (OFFLINE, or gone) loses their conversations
   * to the queue after the grace period, and may not pick.
   */
  boolean connected;
  final Map<Long, Carried> open = new HashMap<>();
  Instant idleSince;
  /** The away reason's code while AWAY with one, else null. */
  String awayReason;
  /** When the agent's status (ONLINE, AWAY, OFFLINE) or away reason last changed, for the dashboard's time in status. */
  Instant statusSince;
  Timers.Cancellable grace;

  AgentSlot(long id, Instant now) {
    this.id = id;
    this.idleSince = now;
    this.statusSince = now;
  }

  String status() {
    return available ? "ONLINE" : connected ? "AWAY" : "OFFLINE";
  }

  /** Sets the status, restarting its clock only when it (or the away reason) changed; returns whether it did. */
  boolean setStatus(boolean available, boolean connected, String awayReason, Instant now) {
    boolean changed = this.available != available || this.connected != connected
        || !Objects.equals(this.awayReason, awayReason);
    if (changed) {
      statusSince = now;
    }
    this.available = available;
    this.connected = connected;
    this.awayReason = awayReason;
    return changed;
  }

  int load() {
    return open.size();
  }

  boolean serves(long queueId) {
    return profile != null && profile.queueIds().contains(queueId);
  }

  int capacity(Queue queue) {
    return profile != null && profile.maxChats() != null ? profile.maxChats() : queue.maxChatsPerAgent();
  }

  boolean hasRoomIn(Queue queue) {
    return load() < capacity(queue);
  }
}
