package io.sangdam.routing;

import java.time.Duration;
import java.time.Instant;

/**
 * A mean in which each observation weighs half as much after {@link #HALF_LIFE}: long enough that a few
 * unusual observations (a very long chat) do not swing it, short enough to follow a change in the day's work
 * within the hour. Decaying the sum and the weight alike leaves the mean as it was between observations.
 */
final class DecayingMean {
  static final Duration HALF_LIFE = Duration.ofMinutes(30);

  private double sum;
  private double weight;
  private Instant last;

  /** Starts from an assumption worth {@code weight} observations of {@code value}; weight 0: no mean yet. */
  DecayingMean(double value, double weight) {
    this.sum = value * weight;
    this.weight = weight;
  }

  void add(double value, Instant at) {
    if (last != null && at.isAfter(last)) {
      double factor = Math.pow(0.5, Duration.between(last, at).toMillis() / (double) HALF_LIFE.toMillis());
      sum *= factor;
      weight *= factor;
    }
    if (last == null || at.isAfter(last)) {
      last = at;
    }
    sum += value;
    weight += 1;
  }

  /** The mean; NaN while there is neither an assumption nor an observation. */
  double mean() {
    return sum / weight;
  }
}
