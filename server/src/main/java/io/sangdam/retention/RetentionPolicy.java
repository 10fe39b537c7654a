package io.sangdam.retention;

import java.util.Set;

/**
 * A tenant's retention: a conversation is erased {@code days} after it ended, or {@code recordDays} after when it
 * ended in one of {@code recordQueues} (records another law requires kept longer); a customer {@code days} after
 * their last contact, once none of their conversations is kept. {@code action} says how.
 */
public record RetentionPolicy(int days, Integer recordDays, Set<Long> recordQueues, Action action) {
  /** The longest period accepted: a hundred years is "kept", not a retention. */
  public static final int MAX_DAYS = 36_500;

  public RetentionPolicy {
    recordQueues = Set.copyOf(recordQueues);
  }

  /**
   * {@code DELETE}: the rows go (statistics live in their roll-ups, which stay). {@code ANONYMISE}: the
   * conversation and customer rows stay with their figures (times, queue, agent, category, score) and lose every
   * personal field; messages, notes, attachments and form answers go either way, as they cannot be told apart
   * from what a customer wrote.
   */
  public enum Action {
    DELETE,
    ANONYMISE
  }
}
