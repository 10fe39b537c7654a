package io.sangdam.presence;

import io.sangdam.auth.Principal;
import io.sangdam.chat.Conversation;
import io.sangdam.dashboard.DashboardFeed;
import io.sangdam.directory.AwayReasons;
import io.sangdam.directory.Role;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The console's {@code hello}: signs in with a token, joins the registry and answers
 * {@code welcome} with the agent's open conversations; when the connection ends, leaves the
 * registry (the last console of an agent takes them offline) and every watch and live dashboard.
 */
final class AgentHello implements Greeter<AgentSession> {
  private final Function<String, Principal> authenticate;
  private final BiConsumer<Principal, String> addressAllowed;
  private final Function<String, Instant> tokenExpiry;
  private final Sessions sessions;
  private final LongFunction<List<Conversation>> openForAgent;
  private final AwayReasons awayReasons;
  private final DashboardFeed dashboardFeed;
  private final Executor blocking;

  /**
   * {@code authenticate} the user of a token (or {@code unauthorized}); {@code addressAllowed} refuses one whose
   * policy keeps their console to address ranges the session's is outside of, as REST does; {@code tokenExpiry}
   * when a valid token expires; {@code openForAgent} the open conversations assigned to a user.
   */
  AgentHello(Function<String, Principal> authenticate, BiConsumer<Principal, String> addressAllowed,
      Function<String, Instant> tokenExpiry, Sessions sessions, LongFunction<List<Conversation>> openForAgent,
      AwayReasons awayReasons, DashboardFeed dashboardFeed, Executor blocking) {
    this.authenticate = authenticate;
    this.addressAllowed = addressAllowed;
    this.tokenExpiry = tokenExpiry;
    this.sessions = sessions;
    this.openForAgent = openForAgent;
    this.awayReasons = awayReasons;
    this.dashboardFeed = dashboardFeed;
    this.blocking = blocking;
  }

  @Override
  public CompletableFuture<?> hello(AgentSession session, Fields f) {
    String token = f.string("token", 200);
    return CompletableFuture.supplyAsync(() -> {
      Principal p = authenticate.apply(token);
      addressAllowed.accept(p, session.remoteAddress());
      if ((p.role() == Role.AGENT || p.role() == Role.CENTER_MANAGER) && p.centerId() == null) {
        throw new SangdamException(ErrorCode.FORBIDDEN, "an agent or center manager needs a center to connect here");
      }
      session.signedIn(p, token);
      try {
        // Checked again once registered: a logout since authenticate() either sees this session or is seen here.
        session.register(() -> sessions.addAgent(p.id(), session,
            () -> session.tokenExpires(tokenExpiry.apply(token))));
      } catch (RuntimeException e) {
        session.signedIn(null, null);
        throw e;
      }
      try {
        ConversationViews views = sessions.views();
        List<ServerMessage.ConversationView> mine = openForAgent.apply(p.id()).stream().map(views::view).toList();
        // Read here, off the event loop, so that this agent's status frames find the tenant's reasons held.
        List<ServerMessage.AwayReasonView> reasons = p.centerId() == null ? List.of()
            : awayReasons.usable(p.tenantId()).stream()
                .map(r -> new ServerMessage.AwayReasonView(r.code(), r.name(), r.nameEn())).toList();
        session.releasePushes(new ServerMessage.AgentWelcome(f.node().get("rid"), views.user(p),
            sessions.status(p.id()).name(), sessions.awayReason(p.id()), reasons, mine));
      } catch (RuntimeException e) {
        // Left as a close would leave, and signed out, so a later close or hello finds nothing to undo.
        session.unregister(() -> {
          ended(session);
          session.signedIn(null, null);
        });
        throw e;
      }
      return p;
    }, blocking);
  }

  @Override
  public void ended(AgentSession session) {
    dashboardFeed.unsubscribe(session.id());
    Principal p = session.principal();
    if (p == null) {
      return;
    }
    sessions.unwatchAll(session);
    if (p.centerId() == null) {
      sessions.removeUser(p.id(), session);
    } else {
      sessions.removeAgent(session.profile(), session);
    }
  }
}
