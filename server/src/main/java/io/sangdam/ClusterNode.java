package io.sangdam;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sangdam.api.ClusterStatus;
import io.sangdam.chat.CenterOwnership;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationStart;
import io.sangdam.chat.FirstMessage;
import io.sangdam.chat.Inactivity;
import io.sangdam.chat.ConversationMirror;
import io.sangdam.chat.LiveConversations;
import io.sangdam.cluster.CenterLeases;
import io.sangdam.cluster.CenterLoadBoard;
import io.sangdam.cluster.CenterOwnerTable;
import io.sangdam.cluster.CenterRef;
import io.sangdam.cluster.ClusterChanges;
import io.sangdam.cluster.ConnectionWatchdog;
import io.sangdam.cluster.ConversationHandoffs;
import io.sangdam.cluster.ForwardedCalls;
import io.sangdam.cluster.JetStreamConversationEvents;
import io.sangdam.cluster.KeyedStarts;
import io.sangdam.cluster.NatsLink;
import io.sangdam.cluster.NodeInfo;
import io.sangdam.cluster.NodeRegistry;
import io.sangdam.cluster.SessionSignals;
import io.sangdam.config.Config;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.presence.ChatCalls;
import io.sangdam.presence.Sessions;
import io.sangdam.protocol.Json;
import io.sangdam.routing.Routing;
import io.sangdam.store.CenterFence;
import io.sangdam.store.JdbcCenterFences;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in a cluster ({@code cluster.natsUrl} set), for the composition root: what a
 * clustered node builds besides, or instead of, a single node's parts. {@link Server} asks it for
 * them in its own order of construction; a single node never builds one.
 *
 * <p>A center is this node's once its lease is won, its fence taken in the database, and its
 * conversations taken up from the database ({@link CenterOwnership#adopt}); until then, and from the
 * moment its lease is lost, calls for it go to whichever node owns it.
 */
final class ClusterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
  /** How long an asking node waits for the owner's events to reach it before answering anyway. */
  private static final Duration ORDER_WAIT = Duration.ofSeconds(2);
  /**
   * How often each owned center's open conversations in the database are compared with those held here, for
   * hand-overs whose giving node died before this owner took them up (one query per center).
   */
  private static final Duration SWEEP = Duration.ofSeconds(30);

  private final Config.Cluster config;
  private final NodeInfo self;
  private final NatsLink nats;
  private final NodeRegistry registry;
  private final Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
  /** The centers taken up here and not lost since: where this node's chat acts. */
  private final Set<Long> owned = ConcurrentHashMap.newKeySet();
  private CenterLeases leases;
  private JetStreamConversationEvents events;
  private CenterOwnerTable owners;
  private ForwardedCalls calls;
  private ConversationHandoffs handoffs;
  private SessionSignals signals;
  private CenterLoadBoard loads;

  private ClusterNode(Config.Cluster config, NodeInfo self, NatsLink nats, NodeRegistry registry) {
    this.config = config;
    this.self = self;
    this.nats = nats;
    this.registry = registry;
  }

  /**
   * Connects to NATS and registers this node: refuses to start ({@code NodeLease.Refused}) when NATS
   * cannot be reached, has no JetStream, or a live node has this node's name. {@code lost} runs if
   * another node takes this node's name over.
   */
  static ClusterNode join(Config.Cluster config, NodeInfo self, MeterRegistry meters, Clock clock, Runnable lost) {
    NatsLink nats = NatsLink.connect(config.natsUrl().orElseThrow(), self.name(), config.centerHeartbeat(), meters);
    try {
      NodeRegistry registry = new NodeRegistry(nats, self, config.centerLease(), config.centerHeartbeat(), clock,
          lost);
      registry.register();
      ClusterNode node = new ClusterNode(config, self, nats, registry);
      node.stopOrder.push(nats);
      // jnats 2.24.1 may come back from a NATS restart connected but sending nothing: the watchdog notices.
      ConnectionWatchdog watchdog = new ConnectionWatchdog(nats.connection());
      watchdog.start();
      node.stopOrder.push(watchdog);
      node.stopOrder.push(registry);
      Gauge.builder("sangdam.cluster.centers.owned", node.owned, Set::size)
          .description("The centers this node owns now (their routing runs here); 0 while it cannot reach NATS")
          .register(meters);
      return node;
    } catch (RuntimeException e) {
      nats.close();
      throw e;
    }
  }

  String name() {
    return self.name();
  }

  /** Management changes made here reach the other nodes' caches; theirs reach this node's once {@link ClusterChanges#receive} is called. */
  ClusterChanges changes(MeterRegistry meters) {
    ClusterChanges changes = new ClusterChanges(nats.connection(), self.name(), meters);
    stopOrder.push(changes);
    return changes;
  }

  /** The conversation events of this node and of the others. */
  JetStreamConversationEvents events(Json json, Executor lanes, MeterRegistry meters) {
    events = new JetStreamConversationEvents(nats.connection(), self.name(), json, lanes, meters,
        Ticker.systemTicker());
    stopOrder.push(events);
    return events;
  }

  /** The center leases, and the fence every write of a center's decisions checks against them. */
  CenterFence centerFence(JdbcCenterFences fences, Directory directory, Clock clock) {
    leases = new CenterLeases(nats.connection(), self.name(), Set.copyOf(config.centers()), config.centerLease(),
        config.centerHeartbeat(), fences, () -> centers(directory), this::members, clock);
    owners = new CenterOwnerTable(nats.connection(), config.centerLease(), System::nanoTime);
    stopOrder.push(owners);
    return fences.fence(leases);
  }

  /**
   * Conversations moved into a center another node owns, handed to it (after {@link #events} and
   * {@link #centerFence}); the next try of a hand-over waits on {@code timers}.
   */
  ConversationHandoffs handoffs(ScheduledExecutorService timers) {
    handoffs = new ConversationHandoffs(nats.connection(), self.name(), owners, owned::contains,
        conversationId -> events.published(conversationId, ORDER_WAIT), timers);
    stopOrder.push(handoffs);
    return handoffs;
  }

  /**
   * The calls sessions make, carried to the owner of their center; agents' availability likewise;
   * typing, read and customers' presence told to every node; the dashboards' figures of every center.
   * Other nodes' events keep this node's copies and sessions current.
   */
  Sessions sessions(Directory directory, Routing routing, LiveConversations live, ChatCalls here,
      ConversationStart starting, int perIdentity, Inactivity inactivity, MeterRegistry meters) {
    ConversationMirror mirror = new ConversationMirror(live);
    KeyedStarts starts = new KeyedStarts(new KeyedStarts.Opening() {
      @Override
      public CompletableFuture<Conversation> start(long tenantId, Queue queue, long customerId, String customerName,
          Optional<FirstMessage> first, long originSession, String startKey, Consumer<Conversation> announce) {
        return starting.start(tenantId, queue, customerId, customerName, first, originSession, startKey, announce);
      }

      @Override
      public CompletableFuture<Optional<Conversation>> startedWith(long tenantId, String startKey) {
        return starting.startedWith(tenantId, startKey);
      }
    }, Ticker.systemTicker(), meters);
    calls = new ForwardedCalls(nats.connection(), self.name(), owners, owned::contains, live::centerOf,
        mirror::learned, directory::queue, here, starts, routing, new ForwardedCalls.EventOrder() {
          @Override
          public CompletableFuture<Long> published(long conversationId) {
            return conversationId == 0 ? CompletableFuture.completedFuture(0L)
                : events.published(conversationId, ORDER_WAIT);
          }

          @Override
          public CompletableFuture<Void> deliveredThrough(long position) {
            return events.deliveredThrough(position, ORDER_WAIT);
          }
        });
    stopOrder.push(calls);
    events.subscribeRemote(mirror);
    return new Sessions(directory, calls.availability(), perIdentity, inactivity::customerPresent);
  }

  ChatCalls calls() {
    return calls.calls();
  }

  SessionSignals signals(Sessions sessions, Inactivity inactivity, MeterRegistry meters) {
    signals = new SessionSignals(nats.connection(), self.name(), sessions, new SessionSignals.Presence() {
      @Override
      public void connected(long customerId) {
        inactivity.customerConnected(customerId);
      }

      @Override
      public void disconnected(long customerId) {
        inactivity.customerDisconnected(customerId);
      }

      @Override
      public void elsewhere(long customerId, String node, boolean present) {
        inactivity.customerElsewhere(customerId, node, present);
      }

      @Override
      public void onlyThese(String node, Set<Long> customers) {
        inactivity.onlyThese(node, customers);
      }

      @Override
      public void nodeGone(String node) {
        inactivity.nodeGone(node);
      }
    }, sessions::announceAgents, meters);
    stopOrder.push(signals);
    return signals;
  }

  CenterLoadBoard loads(Routing routing, MeterRegistry meters) {
    loads = new CenterLoadBoard(nats.connection(), self.name(), routing::load, () -> Set.copyOf(owned),
        System::nanoTime, meters);
    stopOrder.push(loads);
    return loads;
  }

  /**
   * Reads the other nodes' events from now on: before this node reads the open conversations it keeps
   * copies of ({@link CenterOwnership#join}), so no change made between the two is missed.
   */
  void listen() throws IOException {
    events.start();
  }

  /**
   * Starts: other nodes' calls, signals and figures are taken from now on, the center leases compete
   * for centers (each won is taken up from the database, each lost given up), and this node publishes
   * its centers' figures every second on {@code scheduler}.
   */
  void start(CenterOwnership centers, Sessions sessions, ScheduledExecutorService scheduler) {
    // This node's agents at work and connected customers are told to every new owner of a center, however
    // late this node learns of it: the owner's own word ('taken', SessionSignals) reaches only the nodes
    // connected to NATS when it spoke.
    owners.onNewOwner(centerId -> {
      sessions.announceAgents(centerId);
      signals.announceCustomersSoon();
    });
    // A node gone from the cluster reports nothing any more; this node, back after the others forgot it (its
    // entry expired while it could not reach NATS), tells them all again.
    registry.watchMembers(new NodeRegistry.Members() {
      @Override
      public void left(String node) {
        log.info("node {} left the cluster: its agents' and customers' sessions are gone", node);
        calls.nodeLeft(node);
        signals.nodeLeft(node);
        leases.ownerGone(node);
      }

      @Override
      public void rejoined() {
        sessions.announceAgents();
        signals.announceCustomers();
      }
    });
    owners.start();
    calls.start();
    handoffs.start(centers::adoptConversation);
    signals.start();
    loads.start();
    leases.start(new CenterLeases.Listener() {
      @Override
      public void acquired(long centerId, long fence) {
        calls.centerTakenUp(centerId);
        takeUp(centers, scheduler, centerId, fence);
      }

      @Override
      public void lost(long centerId) {
        synchronized (owned) {
          owned.remove(centerId);
          centers.release(centerId);
        }
        log.info("center {} is no longer this node's", centerId);
      }
    });
    stopOrder.push(leases);
    long every = CenterLoadBoard.EVERY.toMillis();
    scheduler.scheduleWithFixedDelay(loads::publish, every, every, TimeUnit.MILLISECONDS);
    long snapshot = SessionSignals.SNAPSHOT_EVERY.toMillis();
    scheduler.scheduleWithFixedDelay(signals::announceCustomers, snapshot, snapshot, TimeUnit.MILLISECONDS);
    long sweep = SWEEP.toMillis();
    scheduler.scheduleWithFixedDelay(() -> List.copyOf(owned).forEach(centerId -> centers.sweep(centerId, owned::contains)
        .exceptionally(failed -> {
          log.warn("center {}: its unheld conversations not looked for ({}); again in {} s", centerId,
              failed.toString(), SWEEP.toSeconds());
          return null;
        })), sweep, sweep, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes a won center up from the database; it is this node's once that is done and the lease is still
   * held under the same fence (it may have been lost meanwhile: then what was taken up is given up). A
   * failure (the database away a moment) is tried again every second while the lease is held, so a center
   * is never left won and unserved.
   */
  private void takeUp(CenterOwnership centers, ScheduledExecutorService scheduler, long centerId, long fence) {
    centers.adopt(centerId).whenComplete((v, failed) -> {
      if (leases.token(centerId).orElse(-1) != fence) {
        return;
      }
      if (failed != null) {
        log.warn("center {} won but not yet taken up ({}); trying again in a second", centerId, failed.toString());
        scheduler.schedule(() -> takeUp(centers, scheduler, centerId, fence), 1, TimeUnit.SECONDS);
        return;
      }
      synchronized (owned) {
        if (leases.token(centerId).orElse(-1) != fence) {
          return;
        }
        owned.add(centerId);
      }
      signals.centerTaken(centerId);
      log.info("center {} is this node's (fence {})", centerId, fence);
    });
  }

  /**
   * Gives every center up (each told lost, then its lease deleted, so another node takes it at once): at a stop,
   * before the routing it stops is shut down. Leaving the cluster does it again, finding nothing left.
   */
  void releaseCenters() {
    leases.close();
  }

  /** Whether this node owns the center now. */
  boolean owns(long centerId) {
    return owned.contains(centerId);
  }

  /**
   * For GET /api/cluster: every live node and the centers it owns, as NATS has them. While NATS does not
   * answer, this node alone as it knows itself (the centers it owns now: none once their leases lapsed),
   * said to be so ({@code othersKnown} false), rather than no answer at all.
   */
  ClusterStatus status(Directory directory) {
    return () -> {
      Map<Long, String> codes = new java.util.HashMap<>();
      centers(directory).forEach(c -> codes.put(c.id(), c.code()));
      if (nats.connected()) {
        try {
          return asNatsSees(codes);
        } catch (IllegalStateException unanswered) {
          log.debug("the cluster's view is not available: {}", unanswered.getMessage());
        }
      }
      Instant now = Instant.now();
      List<ClusterStatus.Lease> mine = new ArrayList<>();
      leases.owned().forEach((id, held) -> {
        if (owned.contains(id)) {
          mine.add(new ClusterStatus.Lease(codes.getOrDefault(id, Long.toString(id)), held.fence(), held.since(),
              Duration.between(held.renewedAt(), now)));
        }
      });
      return new ClusterStatus.View(true, self.name(), nats.connected(), false, List.of(member(self,
          registry.sinceRenewed(), mine)));
    };
  }

  private ClusterStatus.View asNatsSees(Map<Long, String> codes) {
    Map<String, List<ClusterStatus.Lease>> byNode = new java.util.HashMap<>();
    for (CenterLeases.Lease lease : leases.leases()) {
      byNode.computeIfAbsent(lease.node(), n -> new ArrayList<>()).add(new ClusterStatus.Lease(
          codes.getOrDefault(lease.centerId(), Long.toString(lease.centerId())), lease.fence(), lease.since(),
          lease.renewedAgo()));
    }
    List<ClusterStatus.Member> members = new ArrayList<>();
    for (NodeRegistry.LiveNode n : registry.nodes()) {
      members.add(member(n.info(), n.heartbeatAge(), byNode.getOrDefault(n.info().name(), List.of())));
    }
    return new ClusterStatus.View(true, self.name(), true, true, members);
  }

  private static ClusterStatus.Member member(NodeInfo info, Duration heartbeatAge, List<ClusterStatus.Lease> held) {
    List<ClusterStatus.Lease> sorted = held.stream().sorted(java.util.Comparator.comparing(ClusterStatus.Lease::center))
        .toList();
    return new ClusterStatus.Member(info.name(), info.version(), info.protocol(), info.host(), info.port(),
        info.startedAt(), heartbeatAge, sorted.stream().map(ClusterStatus.Lease::center).toList(), sorted);
  }

  private static List<CenterRef> centers(Directory directory) {
    List<CenterRef> all = new ArrayList<>();
    for (Tenant t : directory.tenants()) {
      directory.centers(t.id()).forEach(c -> all.add(new CenterRef(c.id(), t.code() + "/" + c.code())));
    }
    return all;
  }

  private List<CenterLeases.Member> members() {
    List<CenterLeases.Member> members = new ArrayList<>();
    for (NodeRegistry.LiveNode n : registry.nodes()) {
      members.add(new CenterLeases.Member(n.info().name(), new HashSet<>(n.info().centers())));
    }
    return members;
  }

  @Override
  public void close() {
    while (!stopOrder.isEmpty()) {
      AutoCloseable c = stopOrder.pop();
      try {
        c.close();
      } catch (Exception e) {
        log.warn("error while leaving the cluster ({}): {}", c.getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
