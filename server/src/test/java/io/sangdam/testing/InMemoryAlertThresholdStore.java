package io.sangdam.testing;

import io.sangdam.dashboard.AlertThreshold;
import io.sangdam.dashboard.AlertThresholdStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Alert thresholds held in memory, for tests of the dashboard without a database. */
public final class InMemoryAlertThresholdStore implements AlertThresholdStore {
  private final Map<Long, List<AlertThreshold>> byCenter = new ConcurrentHashMap<>();

  @Override
  public List<AlertThreshold> thresholds(long centerId) {
    return byCenter.getOrDefault(centerId, List.of());
  }

  @Override
  public void replace(long centerId, List<AlertThreshold> thresholds) {
    byCenter.put(centerId, List.copyOf(thresholds));
  }
}
