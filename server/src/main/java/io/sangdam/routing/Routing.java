package io.sangdam.routing;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Directory;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** The routing engines of all centers on this node, created on first use. Every method returns at once. */
public final class Routing {
  private final Directory directory;
  private final Executor pool;
  private final Clock clock;
  private final Map<Long, RoutingEngine> engines = new ConcurrentHashMap<>();
  private volatile Assigner assigner;

  public Routing(Directory directory, Executor pool, Clock clock) {
    this.directory = requireNonNull(directory, "directory");
    this.pool = requireNonNull(pool, "pool");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Chat carries out the decisions; it is built after routing, so it is handed in here, once, before any event. */
  public void start(Assigner assigner) {
    if (this.assigner != null) {
      throw new IllegalStateException("routing already started");
    }
    this.assigner = requireNonNull(assigner, "assigner");
  }

  private RoutingEngine engine(long centerId) {
    Assigner a = assigner;
    if (a == null) {
      throw new IllegalStateException("routing not started");
    }
    return engines.computeIfAbsent(centerId, id -> new RoutingEngine(pool, directory::queue, a, clock));
  }

  public void offer(WaitingConversation w) {
    engine(w.centerId()).offer(w);
  }

  public void withdraw(long centerId, long conversationId) {
    engine(centerId).withdraw(conversationId);
  }

  /** At start: an open conversation already assigned counts toward its agent's load. */
  public void restoreLoad(long centerId, long agentId, long conversationId) {
    engine(centerId).restoreLoad(agentId, conversationId);
  }

  /** The agent no longer carries this conversation (closed, or the assignment could not be made). */
  public void released(long centerId, long agentId, long conversationId) {
    engine(centerId).released(agentId, conversationId);
  }

  public void agentAvailable(AgentProfile agent) {
    engine(agent.centerId()).agentAvailable(agent);
  }

  public void agentUnavailable(long centerId, long agentId) {
    engine(centerId).agentUnavailable(agentId);
  }

  /** The number of waiting conversations of a center, read on its engine's thread. */
  public CompletableFuture<Integer> waitingCount(long centerId) {
    RoutingEngine engine = engine(centerId);
    CompletableFuture<Integer> result = new CompletableFuture<>();
    engine.inspect(() -> result.complete(engine.waitingCount()));
    return result;
  }

  /** An agent's number of open conversations, read on its center's engine thread. */
  public CompletableFuture<Integer> load(long centerId, long agentId) {
    RoutingEngine engine = engine(centerId);
    CompletableFuture<Integer> result = new CompletableFuture<>();
    engine.inspect(() -> result.complete(engine.load(agentId)));
    return result;
  }
}
