package io.sangdam.bot;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Where a scenario greets new conversations: a whole center ({@code queueId} and {@code channelId} null), one queue of
 * a center ({@code channelId} null), or one channel ({@code centerId} and {@code queueId} null; {@code channelCode} its
 * code). {@code homeCenterId}: the center its conversations are in (a channel's own). {@code scenarioVersion} is the scenario's current version, the one a new conversation starts on.
 * An entry without a scenario ({@code scenarioId} and {@code scenarioName} null, {@code scenarioVersion} 0) says "no
 * bot here": being the most specific, it lets one channel or queue of a center whose entry has a scenario go without.
 */
public record BotEntry(long tenantId, Long centerId, Long queueId, Long channelId, String channelCode,
    long homeCenterId, Long scenarioId, String scenarioName, int scenarioVersion, Instant setAt) {

  /** How specific a place is: the most specific entry that fits a conversation greets it. */
  public enum Level { CENTER, QUEUE, CHANNEL }

  public BotEntry {
    requireNonNull(setAt, "setAt");
    if ((scenarioId == null) != (scenarioName == null)) {
      throw new IllegalArgumentException("an entry has a scenario with its name, or neither");
    }
    if (channelId != null ? centerId != null || queueId != null || channelCode == null
        : centerId == null || channelCode != null) {
      throw new IllegalArgumentException("an entry is a center's, a queue's of its center, or a channel's");
    }
  }

  /** Whether a bot greets here: false for an entry that says "no bot". */
  public boolean hasBot() {
    return scenarioId != null;
  }

  public Level level() {
    return channelId != null ? Level.CHANNEL : queueId != null ? Level.QUEUE : Level.CENTER;
  }

  /** Whether a conversation entering at this center and queue from {@code channel} is greeted here. */
  boolean fits(long centerId, long queueId, String channel) {
    return switch (level()) {
      case CHANNEL -> channelCode.equals(channel);
      case QUEUE -> this.queueId == queueId && this.centerId == centerId;
      case CENTER -> this.centerId == centerId;
    };
  }
}
