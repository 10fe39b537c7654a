package io.sangdam.routing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How good is the estimated wait? A simulated busy center (Poisson arrivals at 94 % of capacity,
 * exponential handle times averaging 300 s, 8 agents with 2 chats each) drives the real engine on
 * simulated time. Each customer's first estimate is compared with the wait that followed. The
 * figures are printed for the record; the assertion only guards against the estimate becoming
 * useless (worse than always guessing the average wait).
 */
class EtaSimulationTest {
  private static final int AGENTS = 8;
  private static final int CAPACITY = 2;
  private static final double MEAN_HANDLE_SECONDS = 300;
  private static final double ARRIVALS_PER_SECOND = 0.94 * AGENTS * CAPACITY / MEAN_HANDLE_SECONDS;
  private static final int CONVERSATIONS = 6_000;
  private static final int WARM_UP = 500;

  private final ManualTime time = new ManualTime(Instant.parse("2026-11-24T00:00:00Z"));
  private final Random random = new Random(20261124);
  private final Map<Long, Integer> firstEstimate = new HashMap<>();
  private final Map<Long, Instant> enqueued = new HashMap<>();
  private final Map<Long, Long> waitedSeconds = new HashMap<>();
  private RoutingEngine engine;

  @Test
  void theEstimatedWaitTracksTheActualWait() {
    Queue queue = new Queue(1, 1, "card", "카드", RoutingPolicy.LEAST_BUSY, CAPACITY, 0, false, null, null, true);
    engine = new RoutingEngine(1, Runnable::run, id -> Optional.of(queue), new RoutingListener() {
      @Override
      public void assign(long centerId, long conversationId, long agentId, boolean picked) {
        waitedSeconds.put(conversationId, Duration.between(enqueued.get(conversationId), time.instant()).toSeconds());
        Duration handle = Duration.ofMillis((long) (exponential(MEAN_HANDLE_SECONDS) * 1000));
        time.schedule(handle, () -> engine.released(agentId, conversationId, true));
      }

      @Override
      public void positions(List<Position> changed) {
        for (Position p : changed) {
          if (p.etaSeconds() != null) {
            firstEstimate.putIfAbsent(p.conversationId(), p.etaSeconds());
          }
        }
      }

      @Override
      public void overflow(long conversationId, long targetQueueId) {}

      @Override
      public void agentGone(long agentId, List<Long> conversationIds) {}

      @Override
      public void manualWaitingChanged(long centerId, long queueId, long conversationId, boolean added) {}
    }, time, time, () -> Duration.ofMinutes(2), (center, agent, status, reason, at) -> { });
    for (long a = 1; a <= AGENTS; a++) {
      engine.agentAvailable(new AgentProfile(a, 1, Set.of(1L), null));
    }
    for (long id = 1; id <= CONVERSATIONS; id++) {
      time.advance(Duration.ofMillis((long) (exponential(1 / ARRIVALS_PER_SECOND) * 1000)));
      enqueued.put(id, time.instant());
      engine.offer(new WaitingConversation(id, 1, 1, 0, time.instant(), time.instant(), null));
    }
    time.advance(Duration.ofHours(6));

    double absoluteError = 0;
    double constantGuessError = 0;
    double totalWait = 0;
    int counted = 0;
    for (long id = WARM_UP; id <= CONVERSATIONS; id++) {
      totalWait += waitedSeconds.get(id);
      counted++;
    }
    double meanWait = totalWait / counted;
    for (long id = WARM_UP; id <= CONVERSATIONS; id++) {
      long waited = waitedSeconds.get(id);
      absoluteError += Math.abs(firstEstimate.getOrDefault(id, 0) - waited);
      constantGuessError += Math.abs(meanWait - waited);
    }
    double mae = absoluteError / counted;
    double constantMae = constantGuessError / counted;
    System.out.printf("ETA simulation: %d conversations, mean wait %.1f s, MAE of the estimate %.1f s, "
        + "MAE of always guessing the mean %.1f s%n", counted, meanWait, mae, constantMae);
    assertTrue(mae < constantMae, "the estimate must beat a constant guess: " + mae + " vs " + constantMae);
  }

  private double exponential(double mean) {
    return -Math.log(1 - random.nextDouble()) * mean;
  }
}
