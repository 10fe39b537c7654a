package io.sangdam.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Each waiting customer's estimated wait, from the center's live state and its queues' history. A customer
 * is taken when a place opens with an agent of their queue and every customer those agents would take first
 * has been taken. So the estimate counts:
 * <ul>
 *   <li>the places that open per second: each conversation an available agent of the queue carries ends at
 *       the rate its own queue's handle time says ({@link QueueHistory}), so the busy agents of a slow queue
 *       free places more slowly; agents who are away free none until they are expected back
 *       ({@link AwayHistory}), and offline ones none at all;
 *   <li>the customers ahead: those before them in their own line, and those before them (in the one line
 *       order of priority, then start) in the other lines these agents serve, each of those in the share the
 *       shared agents are of that line's own (its customers are served by its other agents too); each counted
 *       as staying in line in the share its queue's customers do.
 * </ul>
 * With places opening at a steady rate, the wait for the k-th is a sum of k exponential gaps; the estimate is
 * that sum's median, about (k - 1/3) gaps, rather than its mean, since what customers notice is how far
 * off the figure was, and the median is the figure least far off on average.
 */
final class WaitEstimates {
  /** The median of a sum of k exponential gaps is about k - 1/3 of them (exact for large k, near for k = 1). */
  private static final double MEDIAN_SHIFT = 1.0 / 3;

  private final Map<Long, QueueLine> lines;
  private final Collection<AgentSlot> agents;
  private final AwayHistory away;
  private final Clock clock;

  WaitEstimates(Map<Long, QueueLine> lines, Collection<AgentSlot> agents, AwayHistory away, Clock clock) {
    this.lines = lines;
    this.agents = agents;
    this.away = away;
    this.clock = clock;
  }

  /** The estimated wait in seconds of each customer of the line, in line order; each null when nobody serves it. */
  List<Integer> of(QueueLine line) {
    if (line.waiting.isEmpty()) {
      return List.of();
    }
    List<Integer> estimates = new ArrayList<>(line.waiting.size());
    Map<AgentSlot, Double> rates = new HashMap<>();
    Opening opening = new Opening(rate(line.members(), rates), returns(line));
    List<Competitor> competitors = competitors(line, rates);
    double staying = 1 - line.history.leavingShare();
    int before = 0;
    for (WaitingConversation w : line.waiting) {
      double ahead = before * staying;
      for (Competitor c : competitors) {
        ahead += c.before(w);
      }
      double places = ahead + 1 - line.free();
      estimates.add(places <= 0 ? Integer.valueOf(0) : opening.secondsUntil(Math.max(places - MEDIAN_SHIFT, 0)));
      before++;
    }
    return estimates;
  }

  /**
   * The agents of the line who are away but expected back ({@link AwayHistory}), soonest first: each brings the
   * room their conversations have left by then, and from then on frees places as a member does.
   */
  private List<Return> returns(QueueLine line) {
    List<Return> returns = new ArrayList<>();
    Instant now = clock.instant();
    double handle = line.history.handleSeconds();
    for (AgentSlot agent : agents) {
      if (agent.available || !agent.connected || !agent.serves(line.queue.id())) {
        continue;
      }
      away.secondsUntilBack(agent.awayReason, Duration.between(agent.statusSince, now)).ifPresent(in -> {
        double stillOpen = 0;
        for (AgentSlot.Carried carried : agent.open.values()) {
          stillOpen += Math.exp(-in / handleSeconds(carried));
        }
        int capacity = agent.capacity(line.queue);
        returns.add(new Return(in, Math.max(0, capacity - stillOpen), capacity / handle));
      });
    }
    returns.sort(Comparator.comparingDouble(Return::inSeconds));
    return returns;
  }

  /** An away agent's expected return: in how many seconds, the places they bring, and the places they free per second after. */
  private record Return(double inSeconds, double places, double rate) {}

  /** Places opening for a line over the coming minutes: at a steady rate, plus what each returning agent brings. */
  private record Opening(double rate, List<Return> returns) {
    /** When {@code places} will have opened; null when they never will (nobody serves the line, nobody is due back). */
    Integer secondsUntil(double places) {
      double t = 0;
      double opened = 0;
      double perSecond = rate;
      for (Return r : returns) {
        if (perSecond > 0 && opened + perSecond * (r.inSeconds() - t) >= places) {
          break;
        }
        opened += perSecond * (r.inSeconds() - t) + r.places();
        t = r.inSeconds();
        perSecond += r.rate();
        if (opened >= places) {
          return (int) Math.round(t);
        }
      }
      return perSecond > 0 ? Integer.valueOf((int) Math.round(t + (places - opened) / perSecond)) : null;
    }
  }

  /** The other lines pushed to some of this line's agents, each with the share of its service those agents give. */
  private List<Competitor> competitors(QueueLine line, Map<AgentSlot, Double> rates) {
    List<Competitor> competitors = new ArrayList<>();
    for (QueueLine other : lines.values()) {
      if (other == line || !other.pushes() || other.waiting.isEmpty()) {
        continue;
      }
      double shared = 0;
      for (AgentSlot agent : other.members()) {
        if (line.members().contains(agent)) {
          shared += rate(agent, rates);
        }
      }
      if (shared > 0) {
        double share = shared / rate(other.members(), rates);
        competitors.add(new Competitor(other.waiting.iterator(), share * (1 - other.history.leavingShare())));
      }
    }
    return competitors;
  }

  private double rate(Iterable<AgentSlot> agents, Map<AgentSlot, Double> rates) {
    double sum = 0;
    for (AgentSlot agent : agents) {
      sum += rate(agent, rates);
    }
    return sum;
  }

  /** How many of the agent's conversations end per second: each at the rate of its queue's handle time. */
  private double rate(AgentSlot agent, Map<AgentSlot, Double> rates) {
    return rates.computeIfAbsent(agent, a -> {
      double sum = 0;
      for (AgentSlot.Carried carried : a.open.values()) {
        sum += 1 / handleSeconds(carried);
      }
      return sum;
    });
  }

  private double handleSeconds(AgentSlot.Carried carried) {
    QueueLine from = lines.get(carried.queueId());
    return from == null ? QueueHistory.PRIOR_HANDLE_SECONDS : from.history.handleSeconds();
  }

  /** Another line walked in step with this one: how many of its customers come before each of this line's. */
  private static final class Competitor {
    private final Iterator<WaitingConversation> waiting;
    private final double weight;
    private WaitingConversation next;
    private int counted;

    Competitor(Iterator<WaitingConversation> waiting, double weight) {
      this.waiting = waiting;
      this.weight = weight;
      this.next = waiting.next();
    }

    /** Called with this line's customers in line order. */
    double before(WaitingConversation w) {
      while (next != null && WaitingConversation.LINE_ORDER.compare(next, w) < 0) {
        counted++;
        next = waiting.hasNext() ? waiting.next() : null;
      }
      return counted * weight;
    }
  }
}
