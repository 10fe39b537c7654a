package io.sangdam.presence;

import static java.util.Map.entry;
import static java.util.Objects.requireNonNull;

import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Authenticator;
import io.sangdam.canned.CannedResponses;
import io.sangdam.chat.ConversationRecords;
import io.sangdam.chat.ConversationService;
import io.sangdam.chat.Handover;
import io.sangdam.dashboard.Dashboard;
import io.sangdam.dashboard.DashboardFeed;
import io.sangdam.directory.Directory;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The agent console's socket (/ws/agent): its {@code hello} and the handler of every frame type
 * after it, in one table. The frames marked center-only are what only a user of a center does
 * (routing, chatting as an agent); tenant and HQ admins only supervise here.
 */
public final class AgentFrames {
  private final Frames<AgentSession> frames;

  /** {@code blocking}: where directory and database work runs; {@code nanoTime}: the clock of typing's pace. */
  public AgentFrames(Directory directory, Authenticator authenticator, CannedResponses canned, AuditLog audit,
      Dashboard dashboard, DashboardFeed dashboardFeed, ConversationService conversations,
      ConversationRecords records, Handover handover, Sessions sessions, Executor blocking, LongSupplier nanoTime) {
    requireNonNull(directory, "directory");
    requireNonNull(authenticator, "authenticator");
    requireNonNull(canned, "canned");
    requireNonNull(audit, "audit");
    requireNonNull(dashboard, "dashboard");
    requireNonNull(dashboardFeed, "dashboardFeed");
    requireNonNull(conversations, "conversations");
    requireNonNull(records, "records");
    requireNonNull(handover, "handover");
    requireNonNull(sessions, "sessions");
    requireNonNull(blocking, "blocking");
    requireNonNull(nanoTime, "nanoTime");
    ConversationViews views = sessions.views();
    Supervision supervision = new Supervision(conversations::lookup, directory, audit, blocking);
    WatchConversation watch = new WatchConversation(supervision, sessions);
    Relay relay = new Relay(conversations::openFor, sessions, nanoTime);
    this.frames = new Frames<>(new AgentHello(authenticator::authenticate, authenticator::expiresAt, sessions,
        conversations::openForAgent, dashboardFeed, blocking), Map.ofEntries(
            entry("watch", watch),
            entry("unwatch", watch),
            entry("whisper", new Whisper(supervision, records::whisper)),
            entry("takeover", new TakeOver(supervision, handover::takeOver, sessions)),
            entry("reassign", new Reassign(supervision, directory, handover::reassign, blocking)),
            entry("dashboard", new ShowDashboard(dashboard, dashboardFeed, blocking)),
            entry("send", new SendAsAgent(canned, directory, conversations::openFor, conversations::send,
                blocking)),
            entry("resume", new ResumeAsAgent(sessions, conversations::lookup, records::replay,
                records::replayForSupervisor)),
            entry("typing", relay),
            entry("read", relay),
            centerOnly("status", new SetStatus(sessions)),
            centerOnly("waiting", new ListWaiting(agent -> conversations.assignments().waitingFor(agent), views)),
            centerOnly("pick", new PickConversation((agent, id) -> conversations.assignments().pick(agent, id))),
            centerOnly("inquiries", new ListInquiries(records::pendingInquiries, views, blocking)),
            centerOnly("canned", new FindCanned(canned, blocking)),
            centerOnly("categories", new ListCategories(directory, blocking)),
            centerOnly("close", new CloseConversation(directory, conversations::close, blocking)),
            centerOnly("transfer", new Transfer(directory, handover::toQueue, handover::toAgent, blocking)),
            centerOnly("transferTargets", new TransferTargets(directory, conversations::find,
                conversations::openForAgent, sessions, blocking)),
            centerOnly("hold", new HoldConversation(handover::hold)),
            centerOnly("note", new AddNote(records::note)),
            centerOnly("notes", new ListNotes(records::notes, views)),
            centerOnly("history", new ShowHistory(records::history, sessions))));
  }

  private static Map.Entry<String, FrameHandler<? super AgentSession>> centerOnly(String type,
      FrameHandler<? super AgentSession> handler) {
    return entry(type, new CenterOnly(type, handler));
  }

  Frames<AgentSession> frames() {
    return frames;
  }
}
