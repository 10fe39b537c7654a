package io.sangdam.routing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How good is the estimated wait? Simulated busy centers drive the real engine on simulated time: Poisson
 * arrivals, exponential handle times, agents with two chats each. Each customer's first estimate (the one
 * they see on joining the line) is compared with the wait that followed, for those who were served; the
 * mean absolute error must stay within a quarter of the mean wait (the speed issue's goal). Seeded, so each
 * run gives the same figures; they are printed for the record.
 */
class EtaSimulationTest {
  private static final double GOAL = 0.25;
  private static final int WARM_UP = 500;

  /** The first scenario, of the speed issue's first measurement: one queue at 94 % of its capacity. */
  @Test
  void aBusyQueue() {
    Simulation sim = new Simulation(20261124);
    Queue card = sim.queue(1, "card", 300);
    for (long a = 1; a <= 8; a++) {
      sim.agent(a, card);
    }
    sim.arrivals(card, 0.94 * 8 * 2 / 300.0);
    sim.run(6_000).check("a busy queue");
  }

  /**
   * Staffing that changes during the day: every 30 minutes six of thirty agents go AWAY (a break, a meeting) for
   * 15 minutes, finishing the chats they carry meanwhile, so the line grows while they are away and shrinks
   * when they are back; some customers give up after a while.
   */
  @Test
  void staffingThatChangesDuringTheDay() {
    Simulation sim = new Simulation(20261203);
    Queue card = sim.queue(1, "card", 300);
    for (long a = 1; a <= 30; a++) {
      sim.agent(a, card);
    }
    sim.breaks(Duration.ofMinutes(30), 6, Duration.ofMinutes(15));
    sim.patience(1200);
    // 27 agents on average, loaded to 98 %: more than 24 can take, less than 30.
    sim.arrivals(card, 0.98 * 27 * 2 / 300.0);
    sim.run(10_000).check("staffing that changes");
  }

  /**
   * Mixed handle times: loans take twice as long as cards; some agents serve one queue, most serve both, and
   * a freed place goes to whichever customer of theirs came first.
   */
  @Test
  void queuesWithDifferentHandleTimes() {
    Simulation sim = new Simulation(20261205);
    Queue card = sim.queue(1, "card", 240);
    Queue loan = sim.queue(2, "loan", 480);
    for (long a = 1; a <= 3; a++) {
      sim.agent(a, card);
    }
    for (long a = 4; a <= 5; a++) {
      sim.agent(a, loan);
    }
    for (long a = 6; a <= 12; a++) {
      sim.agent(a, card, loan);
    }
    // 24 places; cards bring two thirds of the work.
    double work = 0.95 * 24;
    sim.arrivals(card, work * 2 / 3 / 240.0);
    sim.arrivals(loan, work / 3 / 480.0);
    sim.run(6_000).check("mixed handle times");
  }

  /** One center on simulated time, its customers and agents behaving as the scenario says. */
  private static final class Simulation {
    private final ManualTime time = new ManualTime(Instant.parse("2026-11-24T00:00:00Z"));
    private final Random random;
    private final Map<Long, Queue> queues = new HashMap<>();
    private final Map<Long, Double> meanHandle = new HashMap<>();
    private final Map<Long, Double> arrivalRate = new HashMap<>();
    private final Map<Long, AgentProfile> agents = new HashMap<>();
    private final Map<Long, Integer> firstEstimate = new HashMap<>();
    private final Map<Long, Long> queueOf = new HashMap<>();
    private final Map<Long, Instant> enqueued = new HashMap<>();
    private final Map<Long, Long> waitedSeconds = new HashMap<>();
    private final Set<Long> gaveUp = new HashSet<>();
    private final RoutingEngine engine;
    private Duration breakEvery;
    private int onBreak;
    private Duration breakLength;
    private double meanPatience;

    Simulation(long seed) {
      random = new Random(seed);
      engine = new RoutingEngine(1, Runnable::run, id -> Optional.ofNullable(queues.get(id)), new RoutingListener() {
        @Override
        public void assign(long centerId, long conversationId, long agentId, boolean picked) {
          waitedSeconds.put(conversationId, Duration.between(enqueued.get(conversationId), time.instant()).toSeconds());
          Duration handle = Duration.ofMillis((long) (exponential(meanHandle.get(queueOf.get(conversationId))) * 1000));
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
        public void agentGone(long centerId, long agentId, List<Long> conversationIds) {}

        @Override
        public void manualWaitingChanged(long centerId, long queueId, long conversationId, boolean added) {}
      }, time, time, () -> Duration.ofMinutes(2), (center, agent, status, reason, at) -> { });
    }

    Queue queue(long id, String code, double handleSeconds) {
      Queue q = new Queue(id, 1, code, code, RoutingPolicy.LEAST_BUSY, 2, 0, false, null, null, true);
      queues.put(id, q);
      meanHandle.put(id, handleSeconds);
      return q;
    }

    void agent(long id, Queue... serves) {
      Set<Long> ids = new HashSet<>();
      for (Queue q : serves) {
        ids.add(q.id());
      }
      agents.put(id, new AgentProfile(id, 1, ids, null));
    }

    void arrivals(Queue queue, double perSecond) {
      arrivalRate.put(queue.id(), perSecond);
    }

    void breaks(Duration every, int agentsAtOnce, Duration length) {
      breakEvery = every;
      onBreak = agentsAtOnce;
      breakLength = length;
    }

    /** Customers give up after an exponential patience with this mean; 0: they never do. */
    void patience(double meanSeconds) {
      meanPatience = meanSeconds;
    }

    Outcome run(int conversations) {
      agents.values().forEach(engine::agentAvailable);
      if (breakEvery != null) {
        scheduleBreaks();
      }
      double total = arrivalRate.values().stream().mapToDouble(Double::doubleValue).sum();
      List<Long> ids = new ArrayList<>(arrivalRate.keySet());
      for (long id = 1; id <= conversations; id++) {
        time.advance(Duration.ofMillis((long) (exponential(1 / total) * 1000)));
        long queueId = pick(ids, total);
        queueOf.put(id, queueId);
        enqueued.put(id, time.instant());
        engine.offer(new WaitingConversation(id, 1, queueId, 0, time.instant(), time.instant(), null));
        if (meanPatience > 0) {
          long conversationId = id;
          time.schedule(Duration.ofMillis((long) (exponential(meanPatience) * 1000)), () -> {
            if (!waitedSeconds.containsKey(conversationId)) {
              gaveUp.add(conversationId);
              engine.withdraw(conversationId);
            }
          });
        }
      }
      time.advance(Duration.ofHours(6));
      return new Outcome(conversations);
    }

    private long pick(List<Long> ids, double total) {
      double r = random.nextDouble() * total;
      for (long id : ids) {
        r -= arrivalRate.get(id);
        if (r < 0) {
          return id;
        }
      }
      return ids.get(ids.size() - 1);
    }

    private void scheduleBreaks() {
      time.schedule(breakEvery, () -> {
        List<Long> ids = new ArrayList<>(agents.keySet());
        for (int i = 0; i < onBreak; i++) {
          long agentId = ids.remove(random.nextInt(ids.size()));
          engine.agentUnavailable(agentId, true, "break");
          time.schedule(breakLength, () -> engine.agentAvailable(agents.get(agentId)));
        }
        scheduleBreaks();
      });
    }

    private double exponential(double mean) {
      return -Math.log(1 - random.nextDouble()) * mean;
    }

    /** The served customers' first estimates against their waits, after the warm-up. */
    private final class Outcome {
      private final int conversations;

      Outcome(int conversations) {
        this.conversations = conversations;
      }

      void check(String scenario) {
        double totalWait = 0;
        double absoluteError = 0;
        int served = 0;
        for (long id = WARM_UP; id <= conversations; id++) {
          Long waited = waitedSeconds.get(id);
          if (waited != null) {
            totalWait += waited;
            absoluteError += Math.abs(firstEstimate.getOrDefault(id, 0) - waited);
            served++;
          }
        }
        double meanWait = totalWait / served;
        double mae = absoluteError / served;
        System.out.printf("ETA simulation, %s: %d served (%d gave up), mean wait %.1f s, MAE of the first estimate "
            + "%.1f s (%.1f %% of the mean wait)%n", scenario, served, gaveUp.size(), meanWait, mae,
            100 * mae / meanWait);
        assertTrue(mae <= GOAL * meanWait, scenario + ": the estimate is off by " + mae + " s on average, more than "
            + GOAL * 100 + " % of the mean wait of " + meanWait + " s");
      }
    }
  }
}
