package io.sangdam.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How long a center's agents stay AWAY, per away reason (none: the empty code), from their recent returns: an
 * agent on a break is expected back about when this center's breaks usually end. Touched only on the engine's
 * thread.
 */
final class AwayHistory {
  private final Map<String, DecayingMean> byReason = new HashMap<>();

  void returned(String reason, Duration away, Instant at) {
    byReason.computeIfAbsent(key(reason), r -> new DecayingMean(0, 0)).add(away.toMillis() / 1000.0, at);
  }

  /**
   * In how many seconds an agent away for {@code elapsed} with {@code reason} is expected back: what is left of
   * the usual time, or a quarter of it once they are past it (they are late, and may be a while yet). Empty
   * when nobody here has come back from that reason lately: then nobody is counted on.
   */
  Optional<Double> secondsUntilBack(String reason, Duration elapsed) {
    DecayingMean usual = byReason.get(key(reason));
    if (usual == null) {
      return Optional.empty();
    }
    double typical = usual.mean();
    double left = typical - elapsed.toMillis() / 1000.0;
    return Optional.of(left > 0 ? left : typical / 4);
  }

  private static String key(String reason) {
    return reason == null ? "" : reason;
  }
}
