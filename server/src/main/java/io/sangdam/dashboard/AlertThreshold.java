package io.sangdam.dashboard;

/**
 * Where a center as a whole ({@code queueId} null) or one of its queues is in alert on the live board: when
 * {@code waiting} or more customers wait, or the longest wait reaches {@code longestWaitSeconds}. A null
 * limit sets no alert on that figure.
 */
public record AlertThreshold(long centerId, Long queueId, Integer waiting, Integer longestWaitSeconds) {
  /** The most customers a waiting limit may name: more than any center holds in its queues. */
  public static final int MAX_WAITING = 10_000;
  /** The longest wait a limit may name: a day. */
  public static final int MAX_WAIT_SECONDS = 86_400;

  /** Whether {@code waitingNow} customers waiting is past the limit. */
  public boolean waitingPassed(int waitingNow) {
    return waiting != null && waitingNow >= waiting;
  }

  /** Whether a longest wait of {@code seconds} is past the limit. */
  public boolean waitPassed(long seconds) {
    return longestWaitSeconds != null && seconds >= longestWaitSeconds;
  }
}
