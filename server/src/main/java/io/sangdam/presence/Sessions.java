package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.chat.Attachment;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.Directory;
import io.sangdam.directory.User;
import io.sangdam.privacy.PiiMasking;
import io.sangdam.protocol.ServerMessage;
import io.sangdam.routing.AgentAvailability;
import io.sangdam.routing.AgentProfile;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * The connected sessions of this node, by customer and by agent (one person may have several
 * tabs), each agent's status and the supervisors' watches. {@link SessionDelivery} delivers
 * conversation events to the sessions it finds here.
 */
public final class Sessions implements OtherSide {
  private final Map<Long, Set<ClientSession>> customers = new ConcurrentHashMap<>();
  private final Map<Long, Set<ClientSession>> agents = new ConcurrentHashMap<>();
  /** Agents at work (ONLINE or AWAY), with what routing was told of them; an agent without an entry is OFFLINE. */
  private final Map<Long, AtWork> statuses = new ConcurrentHashMap<>();

  /** {@code awayReason}: the code of the away reason the agent gave with AWAY, or null. */
  private record AtWork(AgentStatus status, String awayReason, AgentProfile profile) {}
  /**
   * Supervisors watching a conversation: they see its messages, notes and end, and can say nothing
   * to the customer. Each watch keeps the conversation as its scope was last checked against, so a
   * conversation that moved (transfer, overflow) is checked again before anything more reaches them.
   */
  private final Map<Long, Map<ClientSession, Conversation>> watchers = new ConcurrentHashMap<>();
  private final ConversationViews views;
  private final AgentAvailability routing;
  /**
   * The most sessions one customer, or one user, may have at once. Each connection may hold its
   * output budget in memory, and a customer's message goes to each of their sessions, so without
   * it one identity on many sockets that never read would hold many budgets.
   */
  private final int perIdentity;

  /** On one node: a customer is online while a session of theirs is connected here. */
  public Sessions(Directory directory, AgentAvailability routing, int perIdentity) {
    this.views = new ConversationViews(directory, customers::containsKey);
    this.routing = routing;
    this.perIdentity = perIdentity;
  }

  /** With many nodes: {@code customerOnline} says whether a session of the customer is connected to any node. */
  public Sessions(Directory directory, AgentAvailability routing, int perIdentity, LongPredicate customerOnline) {
    this.views = new ConversationViews(directory, customerOnline);
    this.routing = routing;
    this.perIdentity = perIdentity;
  }

  /** Adds {@code s} to {@code id}'s sessions unless they are full, in one step, so two at once cannot both pass. */
  private void join(Map<Long, Set<ClientSession>> registry, long id, ClientSession s, String who) {
    boolean[] full = {false};
    registry.compute(id, (k, set) -> {
      Set<ClientSession> joined = set == null ? ConcurrentHashMap.newKeySet() : set;
      if (joined.size() >= perIdentity) {
        full[0] = true;
      } else {
        joined.add(s);
      }
      return joined.isEmpty() ? null : joined;
    });
    if (full[0]) {
      throw new TooManySessions(who, perIdentity);
    }
  }

  ConversationViews views() {
    return views;
  }

  /** Throws {@link TooManySessions} when the customer has as many as allowed. */
  void addCustomer(long customerId, ClientSession s) {
    join(customers, customerId, s, "this customer");
  }

  void removeCustomer(long customerId, ClientSession s) {
    customers.computeIfPresent(customerId, (k, set) -> set.remove(s) && set.isEmpty() ? null : set);
  }

  /** {@code s} watches {@code c}, whose scope the caller has checked. */
  void watch(Conversation c, ClientSession s) {
    // Inside compute, so an unwatch emptying the same conversation's map cannot drop this watch with it.
    watchers.compute(c.id(), (k, map) -> {
      Map<ClientSession, Conversation> watching = map == null ? new ConcurrentHashMap<>() : map;
      watching.put(s, c);
      return watching;
    });
  }

  void unwatch(long conversationId, ClientSession s) {
    watchers.computeIfPresent(conversationId, (k, map) -> map.remove(s) != null && map.isEmpty() ? null : map);
  }

  /** Whether {@code s} has a watch on the conversation, whatever its scope now; see {@link #watching(Conversation, ClientSession)}. */
  boolean watching(long conversationId, ClientSession s) {
    Map<ClientSession, Conversation> map = watchers.get(conversationId);
    return map != null && map.containsKey(s);
  }

  /** Whether {@code s} still watches {@code c} now: a watch whose scope no longer covers it is dropped (and told). */
  boolean watching(Conversation c, ClientSession s) {
    Map<ClientSession, Conversation> map = watchers.get(c.id());
    Conversation checked = map == null ? null : map.get(s);
    return checked != null && (sameScope(c, checked) || checkScope(c, s, checked));
  }

  /** A session ended: it watches nothing any more. */
  void unwatchAll(ClientSession s) {
    watchers.keySet().forEach(id -> unwatch(id, s));
  }

  /** The session's user changed (role, center): each of its watches is checked again. */
  private void recheckWatches(ClientSession s) {
    watchers.forEach((id, map) -> {
      Conversation checked = map.get(s);
      if (checked != null) {
        checkScope(checked, s, checked);
      }
    });
  }

  /** To every watcher of {@code c} whose scope covers it where it is now. */
  void eachWatcher(Conversation c, Consumer<ClientSession> action) {
    Map<ClientSession, Conversation> map = watchers.get(c.id());
    if (map != null) {
      map.forEach((s, checked) -> {
        if (sameScope(c, checked) || checkScope(c, s, checked)) {
          action.accept(s);
        }
      });
    }
  }

  private static boolean sameScope(Conversation c, Conversation checked) {
    return c.tenantId() == checked.tenantId() && c.centerId() == checked.centerId() && c.queueId() == checked.queueId();
  }

  /**
   * Whether the supervisor of {@code s} may see {@code c} where it is now; the watch then counts
   * from there. Otherwise the watch (checked against {@code checked}) is dropped and the supervisor
   * is told with {@code unwatched}, showing the conversation as they last saw it, not where it went.
   */
  private boolean checkScope(Conversation c, ClientSession s, Conversation checked) {
    if (s.mayWatch(c)) {
      watchers.computeIfPresent(c.id(), (k, map) -> {
        map.replace(s, checked, c);
        return map;
      });
      return true;
    }
    boolean[] dropped = new boolean[1];
    watchers.computeIfPresent(c.id(), (k, map) -> {
      dropped[0] = map.remove(s, checked);
      return map.isEmpty() ? null : map;
    });
    if (dropped[0]) {
      s.send(ServerMessage.Supervised.outOfScope(views.view(checked)));
    }
    return false;
  }

  /** Closes every console socket of a user (1008): their account was disabled or their password reset. */
  public void signOut(long userId, String reason) {
    Set<ClientSession> open = agents.get(userId);
    if (open != null) {
      List.copyOf(open).forEach(s -> s.signOut(reason));
    }
  }

  /** Closes the console sockets that signed in with {@code token} (1008): it was logged out. */
  public void loggedOut(long userId, String token) {
    Set<ClientSession> open = agents.get(userId);
    if (open != null) {
      List.copyOf(open).stream().filter(s -> s.signedInWith(token)).forEach(s -> s.signOut("logged out"));
    }
  }

  /**
   * Another node logged out the token of this key ({@link io.sangdam.auth.Authenticator#tokenKey}, the token itself
   * never leaves its node): the console sockets here that signed in with it close.
   */
  public void loggedOutElsewhere(long userId, String tokenKey) {
    Set<ClientSession> open = agents.get(userId);
    if (open != null) {
      List.copyOf(open).stream().filter(s -> s.signedInWithKey(tokenKey))
          .forEach(s -> s.signOut("logged out"));
    }
  }

  /** A user's queues, capacity or name changed: their open consoles take the new ones. */
  public void userChanged(User user) {
    Set<ClientSession> open = agents.get(user.id());
    if (open != null) {
      open.forEach(s -> {
        s.userChanged(user);
        recheckWatches(s);
      });
    }
  }

  /** Removes the session of a user who is not routed (a supervisor without a center). */
  void removeUser(long userId, ClientSession s) {
    agents.computeIfPresent(userId, (k, set) -> set.remove(s) && set.isEmpty() ? null : set);
  }

  /**
   * Registers a console session, then runs {@code stillSignedIn}, which checks its token again. A
   * logout revokes, then closes the sessions registered: one that revoked before the check fails it
   * (the session is taken out, the exception passes on); one after finds the session registered.
   * Throws {@link TooManySessions} when the user has as many as allowed.
   */
  void addAgent(long agentId, ClientSession s, Runnable stillSignedIn) {
    join(agents, agentId, s, "this user");
    try {
      stillSignedIn.run();
    } catch (RuntimeException e) {
      removeUser(agentId, s);
      throw e;
    }
  }

  /** Removes an agent's session; the last one to go takes the agent offline. */
  void removeAgent(AgentProfile agent, ClientSession s) {
    Set<ClientSession> left = agents.computeIfPresent(agent.agentId(),
        (k, set) -> set.remove(s) && set.isEmpty() ? null : set);
    if (left == null) {
      setStatus(agent, AgentStatus.OFFLINE, null, null, null);
    }
  }

  /** Open sessions of customers (or else of users on the console socket): for the metrics. */
  public int sessionCount(boolean customerSessions) {
    return (customerSessions ? customers : agents).values().stream().mapToInt(Set::size).sum();
  }

  AgentStatus status(long agentId) {
    AtWork atWork = statuses.get(agentId);
    return atWork == null ? AgentStatus.OFFLINE : atWork.status();
  }

  /** The code of the away reason the agent gave with their AWAY, or null. */
  String awayReason(long agentId) {
    AtWork atWork = statuses.get(agentId);
    return atWork == null ? null : atWork.awayReason();
  }

  /**
   * Changes an agent's status (with {@code awayReason}, a code of their tenant's checked by the caller,
   * only for AWAY), tells routing, and tells the agent's sessions; {@code origin} is answered with its rid
   * once routing has the status in line, so whatever the agent or a colleague asks after the answer (a
   * transfer to them) finds it there.
   */
  void setStatus(AgentProfile agent, AgentStatus status, String awayReason, ClientSession origin, JsonNode rid) {
    String reason = status == AgentStatus.AWAY ? awayReason : null;
    ServerMessage.Status news = new ServerMessage.Status(null, status.name(), reason);
    if (origin != null) {
      origin.answering();
    }
    AtomicReference<CompletableFuture<Void>> heard = new AtomicReference<>();
    try {
      // Routing is told inside the update, so routing hears an agent's statuses in the order they were set,
      // also when a center taken up meanwhile is told them again (announceAgents).
      statuses.compute(agent.agentId(), (k, old) -> {
        // From here until its answer, the origin's pushes wait, so an ONLINE agent hears `status` before any
        // `assigned` routing may push at once; what the origin was told before (another console's status) is
        // not held. The other sessions are told at once, before routing is, for the same reason. A session has one
        // hold: a second status sent before the first's answer shares it, and the first answer ends it.
        if (origin != null) {
          origin.holdPushes();
        }
        each(agents, agent.agentId(), s -> {
          if (s != origin) {
            s.send(news);
          }
        });
        heard.set(tellRouting(agent, status, reason));
        return status == AgentStatus.OFFLINE ? null : new AtWork(status, reason, agent);
      });
    } catch (RuntimeException e) {
      // Answered with the error instead: the pushes held for the answer go now.
      if (origin != null) {
        origin.releasePushes(null);
        origin.answered();
      }
      throw e;
    }
    if (origin != null) {
      // Outside the update: the answer may close a console over its output budget, and its end takes the agent
      // offline through this map. With many nodes the wait is the owner's answer: up to ForwardedCalls' call
      // timeout (5 s), twice when the center moved meanwhile.
      heard.get().whenComplete((v, e) -> {
        try {
          origin.releasePushes(new ServerMessage.Status(rid, status.name(), reason));
        } finally {
          origin.answered();
        }
      });
    }
  }

  /**
   * Tells routing again of the center's agents at work on this node: the center was just taken up,
   * and its fresh engine knows nobody (it starts the grace period of every agent who has a conversation).
   */
  public void announceAgents(long centerId) {
    statuses.keySet().forEach(agentId -> statuses.computeIfPresent(agentId, (k, atWork) -> {
      if (atWork.profile().centerId() == centerId) {
        tellRouting(atWork.profile(), atWork.status(), atWork.awayReason());
      }
      return atWork;
    }));
  }

  /** Tells routing again of every agent at work on this node: the other nodes forgot this one a while. */
  public void announceAgents() {
    statuses.keySet().forEach(agentId -> statuses.computeIfPresent(agentId, (k, atWork) -> {
      tellRouting(atWork.profile(), atWork.status(), atWork.awayReason());
      return atWork;
    }));
  }

  private CompletableFuture<Void> tellRouting(AgentProfile agent, AgentStatus status, String awayReason) {
    if (status == AgentStatus.ONLINE) {
      return routing.agentAvailable(agent);
    }
    return routing.agentUnavailable(agent.centerId(), agent.agentId(), status == AgentStatus.AWAY, awayReason);
  }

  @Override
  public void typing(long conversationId, long customerId, Long agentId, SenderKind from) {
    toOtherSide(customerId, agentId, from, new ServerMessage.Typing(conversationId, from.wire()));
  }

  @Override
  public void read(long conversationId, long customerId, Long agentId, SenderKind from, long seq) {
    toOtherSide(customerId, agentId, from, new ServerMessage.Read(conversationId, from.wire(), seq));
  }

  /** To the sessions of the other side of a conversation than {@code from}. */
  private void toOtherSide(long customerId, Long agentId, SenderKind from, ServerMessage m) {
    if (from == SenderKind.CUSTOMER) {
      if (agentId != null) {
        toAgent(agentId, m);
      }
    } else {
      toCustomer(customerId, m);
    }
  }

  /**
   * A message as a session shows it. Staff (agents, supervisors) see personal numbers in the text
   * masked, as every staff view does; the customer sees what they wrote.
   */
  ServerMessage.Message message(Conversation c, StoredMessage m, boolean forStaff) {
    String name = switch (m.senderKind()) {
      case CUSTOMER -> c.customerName();
      case AGENT -> views.agentName(m.senderId());
      case SYSTEM -> "";
      case BOT -> m.name() == null ? "" : m.name();
    };
    return new ServerMessage.Message(m.conversationId(), m.seq(), m.senderKind().wire(), name,
        forStaff ? PiiMasking.mask(m.body()) : m.body(), m.at().toString(), view(m.attachment(), forStaff),
        m.buttons().stream().map(b -> new ServerMessage.ButtonView(b.id(), b.label())).toList(),
        m.notice() == null ? null : m.notice().key(), m.notice() == null ? null : m.notice().params());
  }

  private static ServerMessage.AttachmentView view(Attachment a, boolean forStaff) {
    return a == null ? null : ServerMessage.AttachmentView.of(a.id(), forStaff ? PiiMasking.mask(a.name()) : a.name(),
        a.size(), a.contentType(), a.hasPreview());
  }

  /** Every session of the customer. */
  void eachCustomerSession(long customerId, Consumer<ClientSession> action) {
    each(customers, customerId, action);
  }

  /** Every console session of the user. */
  void eachAgentSession(long agentId, Consumer<ClientSession> action) {
    each(agents, agentId, action);
  }

  /** Every session of an agent serving the queue. */
  void eachServing(long centerId, long queueId, Consumer<ClientSession> action) {
    agents.values().forEach(set -> set.forEach(s -> {
      if (s.serves(centerId, queueId)) {
        action.accept(s);
      }
    }));
  }

  /** The callback requests of a queue changed: the consoles of its agents on this node read their queue again. */
  public void callbacksChanged(long centerId, long queueId) {
    ServerMessage.CallbacksChanged changed = new ServerMessage.CallbacksChanged();
    eachServing(centerId, queueId, s -> s.send(changed));
  }

  /** The conversation ended: nobody watches it any more. */
  void watchesEnd(long conversationId) {
    watchers.remove(conversationId);
  }

  private void toCustomer(long customerId, ServerMessage m) {
    each(customers, customerId, s -> s.send(m));
  }

  private void toAgent(long agentId, ServerMessage m) {
    each(agents, agentId, s -> s.send(m));
  }

  private static void each(Map<Long, Set<ClientSession>> index, long id, Consumer<ClientSession> action) {
    Set<ClientSession> sessions = index.get(id);
    if (sessions != null) {
      sessions.forEach(action);
    }
  }
}
