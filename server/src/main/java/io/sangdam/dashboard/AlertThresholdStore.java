package io.sangdam.dashboard;

import java.util.List;

/** The centers' alert thresholds. Implemented in {@code store}; methods block. */
public interface AlertThresholdStore {
  /** The center's thresholds: its own (queue null) and its queues'. */
  List<AlertThreshold> thresholds(long centerId);

  /** Replaces every threshold of the center with {@code thresholds}, in one transaction. */
  void replace(long centerId, List<AlertThreshold> thresholds);
}
