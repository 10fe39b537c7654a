package io.sangdam.routing;

import java.time.Instant;

/**
 * What a queue's recent past says about its near future: how long its conversations take with an agent, and
 * what share of its customers leave the line before an agent takes them (they give up, are transferred or
 * overflow). Both are {@link DecayingMean}s. Touched only on the engine's thread.
 */
final class QueueHistory {
  /** Handle time assumed before any conversation of the queue has been measured. */
  static final double PRIOR_HANDLE_SECONDS = 180;
  /** How many observations the assumption counts as, so the first one measured does not count alone. */
  private static final double PRIOR_WEIGHT = 1;

  private final DecayingMean handle = new DecayingMean(PRIOR_HANDLE_SECONDS, PRIOR_WEIGHT);
  /** Per customer who left the line: 1 if unserved, 0 if an agent took them; none yet: nobody leaves. */
  private final DecayingMean leaving = new DecayingMean(0, PRIOR_WEIGHT);

  void handled(double seconds, Instant at) {
    handle.add(seconds, at);
  }

  void served(Instant at) {
    leaving.add(0, at);
  }

  void leftUnserved(Instant at) {
    leaving.add(1, at);
  }

  double handleSeconds() {
    return handle.mean();
  }

  /** The share of customers who leave the line before an agent takes them. */
  double leavingShare() {
    return leaving.mean();
  }
}
