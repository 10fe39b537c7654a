package io.sangdam.presence;

import static java.util.Objects.requireNonNull;

import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationEvents;
import io.sangdam.chat.ConversationState;
import io.sangdam.privacy.PiiMasking;
import io.sangdam.protocol.ServerMessage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Tells this node's sessions of conversation events: the customer's sessions, the assigned agent's
 * and the supervisors watching, each what their side may see. The session that asked for a change
 * ({@code originSession}) was answered directly and is left out.
 */
public final class SessionDelivery implements ConversationEvents.Subscriber {
  private final Sessions sessions;
  private final ConversationViews views;

  public SessionDelivery(Sessions sessions) {
    this.sessions = requireNonNull(sessions, "sessions");
    this.views = sessions.views();
  }

  /** Java 17 has no switch over the sealed events: each kind is tested in turn. */
  @Override
  public void on(ConversationEvent event) {
    if (event instanceof ConversationEvent.Queued e) {
      toCustomer(e.conversation(), new ServerMessage.QueuePosition(e.conversationId(), e.position(), e.etaSeconds()));
    } else if (event instanceof ConversationEvent.Assigned e) {
      assigned(e.conversation(), e.note());
    } else if (event instanceof ConversationEvent.MessageStored e) {
      messageStored(e);
    } else if (event instanceof ConversationEvent.Noted e) {
      toStaff(e.conversation(), views.note(e.note()), e.originSession());
    } else if (event instanceof ConversationEvent.Transferred e) {
      sessions.eachAgentSession(e.fromAgentId(),
          except(e.originSession(), new ServerMessage.Transferred(null, e.conversationId())));
    } else if (event instanceof ConversationEvent.Held e) {
      toParticipants(e.conversation(), new ServerMessage.Hold(null, e.conversationId(), e.hold()), e.originSession());
    } else if (event instanceof ConversationEvent.Moved e) {
      // Checks each watch against where it is now; one whose scope no longer covers it is dropped and told.
      sessions.eachWatcher(e.conversation(), s -> { });
    } else if (event instanceof ConversationEvent.Closed e) {
      closed(e.conversation(), e.reason(), e.originSession());
    } else if (event instanceof ConversationEvent.Rated e) {
      // The comment is the customer's text: staff see personal numbers in it masked, as in every staff view.
      toAgent(e.conversation(), new ServerMessage.Rated(e.conversationId(), e.score(),
          e.comment() == null ? null : PiiMasking.mask(e.comment())));
    } else if (event instanceof ConversationEvent.CustomerPresence e) {
      ServerMessage.Presence out = new ServerMessage.Presence(e.conversationId(), e.online());
      toAgent(e.conversation(), out);
      sessions.eachWatcher(e.conversation(), s -> s.send(out));
    } else if (event instanceof ConversationEvent.WaitingAdded e) {
      Conversation c = e.conversation();
      ServerMessage.WaitingAdded out = new ServerMessage.WaitingAdded(views.view(c));
      sessions.eachServing(c.centerId(), c.queueId(), s -> s.send(out));
    } else if (event instanceof ConversationEvent.DeliveryFailed e) {
      toStaff(e.conversation(), new ServerMessage.DeliveryFailed(e.conversationId(), e.seq(), e.item(), e.reason()), 0);
    } else if (event instanceof ConversationEvent.WaitingRemoved e) {
      ServerMessage.WaitingRemoved out = new ServerMessage.WaitingRemoved(e.conversationId());
      sessions.eachServing(e.centerId(), e.queueId(), s -> s.send(out));
    }
    // Started: nothing to push; the customer who started it is answered directly, and routing tells the rest.
  }

  private void assigned(Conversation c, String note) {
    toCustomer(c, new ServerMessage.AssignedToCustomer(c.id(), views.agentName(c.agentId())));
    toAgent(c, new ServerMessage.AssignedToAgent(views.view(c), note));
  }

  private void messageStored(ConversationEvent.MessageStored e) {
    Conversation c = e.conversation();
    // The customer's view is made only for a session of theirs besides the sender's, which was answered directly.
    sessions.eachCustomerSession(c.customerId(), exceptMade(e.originSession(),
        () -> sessions.message(c, e.message(), false)));
    toStaff(c, sessions.message(c, e.message(), true), e.originSession());
  }

  private void closed(Conversation c, String reason, long originSession) {
    ServerMessage.Closed out = new ServerMessage.Closed(null, c.id(), reason);
    ServerMessage.Closed toCustomer = c.agentId() != null && c.state() == ConversationState.CLOSED
        ? out.inviteToRate() : out;
    sessions.eachCustomerSession(c.customerId(), except(originSession, toCustomer));
    toStaff(c, out, originSession);
    sessions.watchesEnd(c.id());
  }

  /** To the customer's and the assigned agent's sessions and the watchers, except the one answered directly. */
  private void toParticipants(Conversation c, ServerMessage m, long originSession) {
    sessions.eachCustomerSession(c.customerId(), except(originSession, m));
    toStaff(c, m, originSession);
  }

  /** To the assigned agent's sessions and the watchers, except the one answered directly. */
  private void toStaff(Conversation c, ServerMessage m, long originSession) {
    Consumer<ClientSession> deliver = except(originSession, m);
    if (c.agentId() != null) {
      sessions.eachAgentSession(c.agentId(), deliver);
    }
    sessions.eachWatcher(c, deliver);
  }

  private void toCustomer(Conversation c, ServerMessage m) {
    sessions.eachCustomerSession(c.customerId(), s -> s.send(m));
  }

  private void toAgent(Conversation c, ServerMessage m) {
    if (c.agentId() != null) {
      sessions.eachAgentSession(c.agentId(), s -> s.send(m));
    }
  }

  /** As {@link #except}, the message made at the first session it goes to, and only then. */
  private static Consumer<ClientSession> exceptMade(long originSession, Supplier<ServerMessage> make) {
    return new Consumer<>() {
      private ServerMessage made;

      @Override
      public void accept(ClientSession s) {
        if (s.id() != originSession) {
          if (made == null) {
            made = make.get();
          }
          s.send(made);
        }
      }
    };
  }

  private static Consumer<ClientSession> except(long originSession, ServerMessage m) {
    return s -> {
      if (s.id() != originSession) {
        s.send(m);
      }
    };
  }
}
