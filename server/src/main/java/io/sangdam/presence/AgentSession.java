package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.audit.AuditEntry;
import io.sangdam.auth.Access;
import io.sangdam.auth.Principal;
import io.sangdam.canned.CannedResponses;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.Participant;
import io.sangdam.dashboard.Dashboard;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Role;
import io.sangdam.directory.User;
import io.sangdam.privacy.Masking;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import io.sangdam.routing.AgentProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** An agent's console (/ws/agent). Agents and center managers of a center may connect. */
final class AgentSession extends ClientSession {
  private static final int MAX_NOTE = 1000;

  private final SessionFactory ctx;
  private volatile Principal me;
  /** The token this console signed in with: logging it out closes this socket, and so does its expiry. */
  private volatile String token;
  private volatile Instant tokenExpires;
  /** The rids of picks in flight, by conversation: the {@code assigned} that answers a pick carries its rid. */
  private final Map<Long, JsonNode> pickRids = new ConcurrentHashMap<>();

  AgentSession(long id, Outbound out, SessionFactory ctx, RateLimiter limiter) {
    super(id, out, ctx.json, limiter, ctx.sessions);
    this.ctx = ctx;
  }

  @Override
  CompletableFuture<?> hello(Fields f) {
    String token = f.string("token", 200);
    return CompletableFuture.supplyAsync(() -> {
      Principal p = ctx.authenticator.authenticate(token);
      if ((p.role() == Role.AGENT || p.role() == Role.CENTER_MANAGER) && p.centerId() == null) {
        throw new SangdamException(ErrorCode.FORBIDDEN, "an agent or center manager needs a center to connect here");
      }
      me = p;
      this.token = token;
      try {
        // Checked again once registered: a logout since authenticate() either sees this session or is seen here.
        register(() -> ctx.sessions.addAgent(p.id(), this,
            () -> this.tokenExpires = ctx.authenticator.expiresAt(token)));
      } catch (RuntimeException e) {
        me = null;
        this.token = null;
        throw e;
      }
      List<ServerMessage.ConversationView> mine = ctx.conversations.openForAgent(p.id()).stream()
          .map(ctx.views::view).toList();
      send(new ServerMessage.AgentWelcome(f.node().get("rid"), ctx.views.user(p.user(), p.tenantCode(),
          p.centerCode()), ctx.sessions.status(p.id()).name(), mine));
      return p;
    }, ctx.blocking);
  }

  @Override
  boolean signedInWith(String token) {
    return token.equals(this.token);
  }

  /** What only a user of a center does (routing, chatting as an agent); tenant and HQ admins only supervise here. */
  private static final java.util.Set<String> CENTER_ONLY = java.util.Set.of("status", "waiting", "pick", "inquiries",
      "canned", "categories", "close", "transfer", "transferTargets", "hold", "note", "notes", "history");

  @Override
  void handle(String type, Fields f) {
    // Checked at the console's next frame: cheaper than a timer per socket, and nothing is done with an expired token.
    if (!ctx.clock.instant().isBefore(tokenExpires)) {
      signOut("token expired");
      return;
    }
    Participant self = Participant.agent(me.id());
    JsonNode rid = f.node().get("rid");
    if (CENTER_ONLY.contains(type) && me.centerId() == null) {
      throw new SangdamException(ErrorCode.FORBIDDEN, type + " is for agents of a center");
    }
    switch (type) {
      case "watch", "unwatch", "whisper", "takeover", "reassign" -> supervise(type, f, rid);
      case "status" -> ctx.sessions.setStatus(profile(), f.oneOf("status", AgentStatus.class), this, rid);
      case "send" -> send(f, rid, self);
      case "canned" -> {
        Principal p = me;
        String query = f.optString("q", 100).orElse("");
        reply(rid, CompletableFuture.supplyAsync(() -> ctx.canned.lookup(p.tenantId(), p.centerId(), p.id(), query),
            ctx.blocking), list -> send(new ServerMessage.Canned(rid, list.stream().map(c -> new ServerMessage
            .CannedView(c.id(), c.level(), c.title(), "/" + c.shortcut(), c.body())).toList())));
      }
      case "close" -> close(f, rid);
      case "dashboard" -> dashboard(f, rid);
      case "categories" -> reply(rid, CompletableFuture.supplyAsync(() -> ctx.directory.categories(me.tenantId())
          .stream().filter(ctx.directory::usable).toList(), ctx.blocking),
          list -> send(new ServerMessage.Categories(rid, list.stream().map(c -> new ServerMessage.CategoryView(
              c.id(), c.parentId(), c.level(), c.name())).toList())));
      case "resume" -> {
        long conversation = f.id("conversation");
        long afterSeq = f.nonNegative("afterSeq");
        // A watcher's scope is checked again, for every page: the conversation may have moved out of it.
        replay(rid, conversation, afterSeq, after -> ctx.sessions.watching(conversation, this)
            ? ctx.conversations.lookup(conversation).thenCompose(c -> ctx.sessions.watching(c, this)
                ? ctx.records.replayForSupervisor(conversation, after)
                : ctx.records.replay(self, conversation, after))
            : ctx.records.replay(self, conversation, after));
      }
      case "waiting" -> reply(rid, ctx.conversations.assignments().waitingFor(profile()),
          list -> send(new ServerMessage.Waiting(rid, list.stream().map(ctx.views::view).toList())));
      case "pick" -> pick(f, rid);
      case "note" -> {
        String cmid = f.string("cmid", 64);
        long conversation = f.id("conversation");
        reply(rid, ctx.records.note(me.id(), conversation, cmid, f.text("text"), id()),
            n -> send(ServerMessage.Ack.ofNote(rid, conversation, cmid, n.id())));
      }
      case "notes" -> {
        long conversation = f.id("conversation");
        reply(rid, ctx.records.notes(me.id(), conversation), list -> send(new ServerMessage.Notes(rid,
            conversation, list.stream().map(ctx.views::note).toList())));
      }
      case "typing", "read" -> relay(type, f, self, ctx);
      case "history" -> {
        long conversation = f.id("conversation");
        reply(rid, ctx.records.history(me.id(), conversation), h -> send(new ServerMessage.History(rid,
            conversation, new ServerMessage.CustomerProfile(h.customer().id(), h.customer().name(),
                Masking.contact(h.customer().contact()), h.customer().externalId()),
            h.earlier().stream().map(r -> new ServerMessage.PastConversation(ctx.views.view(r.conversation()),
                r.messages().stream().map(m -> ctx.sessions.message(r.conversation(), m, true)).toList())).toList(),
            h.truncated())));
      }
      case "inquiries" -> reply(rid, CompletableFuture.supplyAsync(
          () -> ctx.records.pendingInquiries(me.centerId()), ctx.blocking),
          list -> send(new ServerMessage.Inquiries(rid, list.stream().map(ctx.views::inquiry).toList())));
      case "transfer" -> transfer(f, rid);
      case "transferTargets" -> {
        long conversation = f.id("conversation");
        Principal p = me;
        reply(rid, CompletableFuture.supplyAsync(() -> TransferTargets.of(ctx, p, conversation, rid), ctx.blocking),
            this::send);
      }
      case "hold" -> {
        long conversation = f.id("conversation");
        boolean hold = f.optBool("hold").orElse(true);
        reply(rid, ctx.handover.hold(me.id(), conversation, hold, id()),
            x -> send(new ServerMessage.Hold(rid, conversation, hold)));
      }
      default -> throw unknownType(type);
    }
  }

  /**
   * A message: {@code text}, or a canned response by {@code canned} (id) or {@code shortcut}
   * ("/refund"), filled on the server with {@code {customer.name}}, {@code {agent.name}} and
   * {@code {center.name}}.
   */
  private void send(Fields f, JsonNode rid, Participant self) {
    String cmid = f.string("cmid", 64);
    long conversation = f.id("conversation");
    Optional<Long> cannedId = f.has("canned") ? Optional.of(f.id("canned")) : Optional.empty();
    Optional<String> shortcut = f.optString("shortcut", 33);
    CompletableFuture<String> text;
    if (cannedId.isEmpty() && shortcut.isEmpty()) {
      text = CompletableFuture.completedFuture(f.text("text"));
    } else if (me.centerId() == null) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "canned responses are for agents of a center");
    } else {
      Principal p = me;
      text = CompletableFuture.supplyAsync(() -> {
        var response = cannedId.isPresent()
            ? ctx.canned.usableById(p.tenantId(), p.centerId(), p.id(), cannedId.get())
            : ctx.canned.byShortcut(p.tenantId(), p.centerId(), p.id(), shortcut.get());
        var c = ctx.conversations.openFor(self, conversation)
            .orElseThrow(() -> SangdamException.notFound("conversation " + conversation));
        String body = response.orElseThrow(() -> SangdamException.notFound(cannedId.isPresent()
            ? "canned response " + cannedId.get() : "shortcut " + shortcut.get())).body();
        String filled = CannedResponses.fill(body, Map.of("customer.name", c.customerName(), "agent.name",
            p.user().name(), "center.name", ctx.directory.center(p.centerId()).map(x -> x.name()).orElse("")));
        if (filled.codePointCount(0, filled.length()) > Fields.MAX_TEXT) {
          throw new SangdamException(ErrorCode.TOO_LONG, "the filled response is over " + Fields.MAX_TEXT
              + " characters");
        }
        return filled;
      }, ctx.blocking);
    }
    reply(rid, text.thenCompose(t -> ctx.conversations.send(self, conversation, cmid, t, id())),
        m -> send(new ServerMessage.Ack(rid, m.conversationId(), cmid, m.seq())));
  }

  /** {@code category} must be an enabled category of the tenant; a center may require one. Tags: up to 10, 50 characters each. */
  private void close(Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    Optional<Long> category = f.has("category") ? Optional.of(f.id("category")) : Optional.empty();
    List<String> tags = f.strings("tags", 10, 50);
    Principal p = me;
    CompletableFuture<String> closed = CompletableFuture.supplyAsync(() -> {
      Long categoryId = category.map(id -> ctx.directory.category(id)
          .filter(c -> c.tenantId() == p.tenantId() && ctx.directory.usable(c))
          .orElseThrow(() -> Fields.invalid("category", "names no enabled category of this tenant")).id())
          .orElse(null);
      if (categoryId == null && ctx.directory.center(p.centerId()).map(c -> c.settings().requireCategory())
          .orElse(false)) {
        throw new SangdamException(ErrorCode.CATEGORY_REQUIRED, "this center needs a category to close a chat");
      }
      return categoryId;
    }, ctx.blocking).thenCompose(categoryId -> ctx.conversations.close(p.id(), conversation, categoryId, tags, id()));
    reply(rid, closed, reason -> send(new ServerMessage.Closed(rid, conversation, reason)));
  }

  private void pick(Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    if (rid != null) {
      pickRids.put(conversation, rid);
    }
    reply(rid, ctx.conversations.assignments().pick(profile(), conversation).whenComplete((x, e) -> {
      if (e != null) {
        pickRids.remove(conversation);
      }
    }), x -> { });
  }

  @Override
  void send(ServerMessage m) {
    if (m instanceof ServerMessage.AssignedToAgent a && !pickRids.isEmpty()) {
      JsonNode rid = pickRids.remove(a.conversation().id());
      super.send(rid == null ? a : a.withRid(rid));
      return;
    }
    super.send(m);
  }

  /** Exactly one of {@code toQueue} ("center/queue", or "queue" of this center) and {@code toAgent} (a username). */
  private void transfer(Fields f, JsonNode rid) {
    long conversation = f.id("conversation");
    Optional<String> toQueue = f.optString("toQueue", 65);
    Optional<String> toAgent = f.optSlug("toAgent");
    Optional<String> note = f.optString("note", MAX_NOTE).filter(n -> !n.isBlank());
    if (toQueue.isPresent() == toAgent.isPresent()) {
      throw Fields.invalid("toQueue", "or 'toAgent' must be given, exactly one of them");
    }
    Principal p = me;
    CompletableFuture<Void> done = toQueue.isPresent()
        ? CompletableFuture.supplyAsync(() -> queue(p, toQueue.get()), ctx.blocking)
            .thenCompose(q -> ctx.handover.toQueue(p.id(), conversation, q, note, id()))
        : CompletableFuture.supplyAsync(() -> agentTarget(p, toAgent.get()), ctx.blocking)
            .thenCompose(u -> ctx.handover.toAgent(p.id(), conversation, u.id(), u.name(), note, id()));
    reply(rid, done, x -> send(new ServerMessage.Transferred(rid, conversation)));
  }

  /** A queue of the agent's tenant: "center/queue", or "queue" of the agent's own center. Blocks. */
  private Queue queue(Principal p, String target) {
    String[] parts = target.split("/", -1);
    String centerCode = parts.length == 2 ? parts[0] : p.centerCode();
    String queueCode = parts[parts.length - 1];
    if (parts.length > 2 || !Fields.SLUG.matcher(centerCode).matches() || !Fields.SLUG.matcher(queueCode).matches()) {
      throw Fields.invalid("toQueue", "must be \"queue\" or \"center/queue\"");
    }
    return ctx.directory.center(p.tenantId(), centerCode).flatMap(c -> ctx.directory.queue(c.id(), queueCode))
        .orElseThrow(() -> SangdamException.notFound("queue '" + target + "'"));
  }

  /** Another agent (or manager) of the same center. Blocks. */
  private User agentTarget(Principal p, String username) {
    if (username.equals(p.user().username())) {
      throw Fields.invalid("toAgent", "must be another agent");
    }
    return ctx.directory.user(p.tenantId(), username)
        .filter(u -> u.enabled() && p.centerId().equals(u.centerId()))
        .orElseThrow(() -> SangdamException.notFound("agent '" + username + "' in center '" + p.centerCode() + "'"));
  }

  /**
   * Supervision by a center manager or a wider role, of conversations in their scope: watch
   * (read-only), whisper (a note the agent sees, the customer never), takeover (the supervisor
   * becomes the assignee), reassign (to another agent of the center with room). Each is audited.
   */
  private void supervise(String type, Fields f, JsonNode rid) {
    Principal p = me;
    if (p.role() == Role.AGENT) {
      throw new SangdamException(ErrorCode.FORBIDDEN, "supervision is for center managers and wider roles");
    }
    long conversation = f.id("conversation");
    String cmid = type.equals("whisper") ? f.string("cmid", 64) : null;
    String text = type.equals("whisper") ? f.text("text") : null;
    String target = type.equals("reassign") ? f.slug("toAgent") : null;
    CompletableFuture<Conversation> inScope = ctx.conversations.lookup(conversation)
        .thenApplyAsync(c -> {
          boolean sees = ctx.directory.center(c.centerId()).filter(center -> Access.sees(p, center)).isPresent();
          if (!sees) {
            throw SangdamException.notFound("conversation " + conversation);
          }
          if (!c.state().isOpen()) {
            throw new SangdamException(ErrorCode.CONVERSATION_CLOSED, "conversation " + conversation + " is closed");
          }
          return c;
        }, ctx.blocking);
    CompletableFuture<ServerMessage> answer = switch (type) {
      case "watch" -> inScope.thenApply(c -> {
        ctx.sessions.watch(c, this);
        return new ServerMessage.Supervised("watching", rid, ctx.views.view(c));
      });
      case "unwatch" -> inScope.thenApply(c -> {
        ctx.sessions.unwatch(conversation, this);
        return new ServerMessage.Supervised("unwatched", rid, ctx.views.view(c));
      });
      case "whisper" -> inScope.thenCompose(c -> ctx.records.whisper(p.id(), conversation, cmid, text, id()))
          .thenApply(n -> ServerMessage.Ack.ofNote(rid, conversation, cmid, n.id()));
      case "takeover" -> inScope.thenCompose(c -> {
        // The assignee must be able to work the chat: a manager of the conversation's own center.
        if (!Long.valueOf(c.centerId()).equals(p.centerId())) {
          throw new SangdamException(ErrorCode.FORBIDDEN, "only a manager of the conversation's center takes it over");
        }
        return ctx.handover.takeOver(p.id(), p.user().name(), conversation, id());
      }).thenApply(taken -> {
        ctx.sessions.unwatch(conversation, this);
        return new ServerMessage.Supervised("takenOver", rid, ctx.views.view(taken));
      });
      default -> inScope.thenApplyAsync(c -> ctx.directory.user(c.tenantId(), target)
              .filter(u -> u.enabled() && Long.valueOf(c.centerId()).equals(u.centerId()))
              .orElseThrow(() -> SangdamException.notFound("agent '" + target + "' in the conversation's center")),
          ctx.blocking)
          .thenCompose(u -> ctx.handover.reassign(conversation, u.id(), u.name()))
          .thenApply(x -> new ServerMessage.Supervised("reassigned", rid, null));
    };
    // Audited before it is answered: what a supervisor was told they did is on the record. On the
    // blocking executor: both may be complete already (the event loop) or complete on message delivery.
    String remote = remoteAddress();
    reply(rid, answer.thenCombineAsync(inScope, (m, c) -> {
      ctx.audit.record(new AuditEntry(p.id(), p.user().username(), c.tenantId(), c.centerId(),
          "supervision." + type, "conversation " + c.id(), target, remote));
      return m;
    }, ctx.blocking), this::send);
  }

  @Override
  boolean mayWatch(Conversation c) {
    Principal p = me;
    return p != null && p.role() != Role.AGENT && Access.sees(p, c.tenantId(), c.centerId());
  }

  @Override
  boolean serves(long centerId, long queueId) {
    Principal p = me;
    return p != null && p.centerId() != null && p.centerId() == centerId && p.user().queueIds().contains(queueId);
  }

  private AgentProfile profile() {
    Principal p = me;
    return new AgentProfile(p.id(), p.centerId(), p.user().queueIds(), p.user().maxChats());
  }

  /** An administrator changed this agent's queues, capacity or name: they count from the next status. */
  @Override
  void userChanged(User user) {
    Principal p = me;
    if (p != null) {
      me = new Principal(user, p.tenantCode(), p.centerCode());
    }
  }

  /**
   * The dashboard of the caller's scope, or of one center in it ({@code "center":"tenant/center"});
   * with {@code "live":true} it is pushed again whenever it changes, at most once a second, until
   * a {@code dashboard} without it or the end of the session.
   */
  private void dashboard(Fields f, JsonNode rid) {
    Principal p = me;
    Optional<String> center = f.optString("center", 80);
    boolean live = f.optBool("live").orElse(false);
    reply(rid, CompletableFuture.supplyAsync(() -> {
      Dashboard.Subject subject = ctx.dashboard.subject(p, center);
      return Map.entry(subject, ctx.dashboard.view(subject, rid));
    }, ctx.blocking), answer -> {
      // The answer goes first: a push taken after it can then only be newer.
      send(answer.getValue());
      if (live) {
        ctx.dashboardFeed.subscribe(id(), answer.getKey(), answer.getValue(), this::send);
        if (isClosed()) {
          ctx.dashboardFeed.unsubscribe(id());
        }
      } else {
        ctx.dashboardFeed.unsubscribe(id());
      }
    });
  }

  @Override
  String who() {
    Principal p = me;
    return p == null ? "before hello"
        : "tenant " + (p.tenantCode() == null ? "-" : p.tenantCode()) + ", user " + p.user().username();
  }

  @Override
  boolean isStaff() {
    return true;
  }

  @Override
  void ended() {
    ctx.dashboardFeed.unsubscribe(id());
    Principal p = me;
    if (p == null) {
      return;
    }
    ctx.sessions.unwatchAll(this);
    if (p.centerId() == null) {
      ctx.sessions.removeUser(p.id(), this);
    } else {
      ctx.sessions.removeAgent(profile(), this);
    }
  }
}
