package io.sangdam.routing;

import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Assignment decisions per second of one center's engine under load: 20 queues (16 LEAST_BUSY,
 * 4 ROUND_ROBIN), 1,000 agents serving 3 queues each, every agent at its capacity of 5, and
 * 10,000 conversations waiting.
 *
 * <p>One operation releases an agent's oldest conversation, which makes exactly one decision (the
 * agent is the only one with room, so the best waiting conversation of its queues goes to it), and
 * offers a new conversation to the queue that decision drew from, so every line and every load
 * stays as it was. Score = operations per second = decisions per second.
 *
 * <p>The engine runs on the calling thread ({@code Runnable::run} as its pool), as in
 * RoutingEngineTest. Its timers never fire: positions of everyone waiting are recomputed on a
 * timer, so here they never are, which isolates the decision path. The offer still computes the
 * new conversation's own position, as it does in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1) // the engine's state is touched only by the thread that calls it
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RoutingBenchmark {
  private static final long CENTER = 1;
  private static final int QUEUES = 20;
  private static final int ROUND_ROBIN_QUEUES = 4;
  private static final int AGENTS = 1_000;
  private static final int QUEUES_PER_AGENT = 3;
  private static final int CAPACITY = 5;
  private static final int WAITING = 10_000;
  private static final long SEED = 20261124;
  private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
  private static final Timers NO_TIMERS = (delay, task) -> () -> { };
  /** The server's log only queues each change for a writer thread; the decisions measured here make none. */
  private static final AgentStatusLog NO_STATUS_LOG = (center, agent, status, reason, at) -> { };

  private RoutingEngine engine;
  /** Per agent (index = id - 1), the conversations it carries: a ring whose oldest is at {@code next[agent]}. */
  private long[][] carried;
  private int[] next;
  private long assigned;
  private long lastAssigned;
  /** Conversations created so far; a conversation's id is {@code sequence * QUEUES + queue index}. */
  private long sequence;
  private int agentTurn;
  private long operations;

  @Setup(Level.Trial)
  public void fill() {
    List<Optional<Queue>> queues = new ArrayList<>();
    for (int q = 0; q < QUEUES; q++) {
      RoutingPolicy policy = q < QUEUES - ROUND_ROBIN_QUEUES ? RoutingPolicy.LEAST_BUSY : RoutingPolicy.ROUND_ROBIN;
      queues.add(Optional.of(new Queue(q + 1, CENTER, "q" + (q + 1), "Queue " + (q + 1), policy, CAPACITY, 0, false,
          null, null, true)));
    }
    carried = new long[AGENTS][CAPACITY];
    next = new int[AGENTS];
    engine = new RoutingEngine(CENTER, Runnable::run,
        id -> id >= 1 && id <= QUEUES ? queues.get((int) id - 1) : Optional.empty(), new Recorder(),
        Clock.systemUTC(), NO_TIMERS, () -> Duration.ofMinutes(2), NO_STATUS_LOG);

    Random random = new Random(SEED);
    for (int a = 0; a < AGENTS; a++) {
      Set<Long> served = new HashSet<>();
      while (served.size() < QUEUES_PER_AGENT) {
        served.add(1L + random.nextInt(QUEUES));
      }
      engine.agentAvailable(new AgentProfile(a + 1, CENTER, Set.copyOf(served), null));
    }
    // Each queue in turn until every agent is full, then on until 10,000 wait.
    for (int i = 0; assigned < (long) AGENTS * CAPACITY && i < 10 * AGENTS * CAPACITY; i++) {
      offer((int) (sequence % QUEUES));
    }
    while (engine.waitingCount() < WAITING) {
      offer((int) (sequence % QUEUES));
    }
    check();
  }

  @Benchmark
  public void releaseOneAndOfferOne() {
    int a = agentTurn;
    agentTurn = (a + 1) % AGENTS;
    engine.released(a + 1, carried[a][next[a]], true);
    offer((int) (lastAssigned % QUEUES));
    operations++;
  }

  /** So the score means what it says: the load did not drift, and every operation made exactly one decision. */
  @TearDown(Level.Iteration)
  public void check() {
    if (engine.waitingCount() != WAITING) {
      throw new IllegalStateException(WAITING + " conversations should wait, not " + engine.waitingCount());
    }
    for (int a = 0; a < AGENTS; a++) {
      if (engine.load(a + 1) != CAPACITY) {
        throw new IllegalStateException("agent " + (a + 1) + " carries " + engine.load(a + 1) + ", not " + CAPACITY);
      }
    }
    long expected = (long) AGENTS * CAPACITY + operations;
    if (assigned != expected || engine.decisions() != expected) {
      throw new IllegalStateException("expected " + expected + " decisions, engine made " + engine.decisions()
          + " and the listener saw " + assigned);
    }
  }

  private void offer(int queueIndex) {
    long id = sequence * QUEUES + queueIndex;
    Instant since = T0.plusMillis(sequence);
    sequence++;
    engine.offer(new WaitingConversation(id, CENTER, queueIndex + 1, 0, since, since, null));
  }

  /** Records each assignment in the agent's ring; everything else the engine reports is dropped. */
  private final class Recorder implements RoutingListener {
    @Override
    public void assign(long centerId, long conversationId, long agentId, boolean picked) {
      int a = (int) agentId - 1;
      carried[a][next[a]] = conversationId;
      next[a] = (next[a] + 1) % CAPACITY;
      lastAssigned = conversationId;
      assigned++;
    }

    @Override
    public void positions(List<Position> changed) {
    }

    @Override
    public void overflow(long conversationId, long targetQueueId) {
    }

    @Override
    public void agentGone(long centerId, long agentId, List<Long> conversationIds) {
    }

    @Override
    public void manualWaitingChanged(long centerId, long queueId, long conversationId, boolean added) {
    }
  }
}
