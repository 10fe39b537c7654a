package io.sangdam.presence;

import static java.util.Map.entry;
import static java.util.Objects.requireNonNull;

import io.sangdam.accesslog.AccessLog;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Authenticator;
import io.sangdam.auth.Principal;
import io.sangdam.canned.CannedResponses;
import io.sangdam.chat.ConversationRecords;
import io.sangdam.chat.ConversationLookup;
import io.sangdam.chat.LiveConversations;
import io.sangdam.dashboard.Dashboard;
import io.sangdam.dashboard.DashboardFeed;
import io.sangdam.directory.AwayReasons;
import io.sangdam.directory.Directory;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The agent console's socket (/ws/agent): its {@code hello} and the handler of every frame type
 * after it, in one table. The frames marked center-only are what only a user of a center does
 * (routing, chatting as an agent); tenant and HQ admins only supervise here.
 */
public final class AgentFrames {
  private final Frames<AgentSession> frames;

  /** {@code blocking}: where directory and database work runs; {@code nanoTime}: the clock of typing's pace. */
  /** {@code addressAllowed}: refuses a signed-in user whose policy keeps their console to ranges they are outside of. */
  public AgentFrames(Directory directory, AwayReasons awayReasons, Authenticator authenticator,
      BiConsumer<Principal, String> addressAllowed, CannedResponses canned, AuditLog audit, AccessLog access,
      Dashboard dashboard, DashboardFeed dashboardFeed, LiveConversations live, ConversationLookup lookup,
      ChatCalls chat, ConversationRecords records, Sessions sessions, OtherSide otherSide, Executor blocking, LongSupplier nanoTime) {
    requireNonNull(directory, "directory");
    requireNonNull(awayReasons, "awayReasons");
    requireNonNull(authenticator, "authenticator");
    requireNonNull(canned, "canned");
    requireNonNull(audit, "audit");
    requireNonNull(access, "access");
    requireNonNull(dashboard, "dashboard");
    requireNonNull(dashboardFeed, "dashboardFeed");
    requireNonNull(live, "live");
    requireNonNull(lookup, "lookup");
    requireNonNull(chat, "chat");
    requireNonNull(records, "records");
    requireNonNull(sessions, "sessions");
    requireNonNull(otherSide, "otherSide");
    requireNonNull(blocking, "blocking");
    requireNonNull(nanoTime, "nanoTime");
    ConversationViews views = sessions.views();
    Supervision supervision = new Supervision(lookup::lookup, directory, audit, access, blocking);
    WatchConversation watch = new WatchConversation(supervision, sessions);
    Relay relay = new Relay(live::openFor, otherSide, nanoTime);
    requireNonNull(addressAllowed, "addressAllowed");
    this.frames = new Frames<>(new AgentHello(authenticator::authenticate, addressAllowed, authenticator::expiresAt,
        sessions,
        live::openForAgent, awayReasons, dashboardFeed, blocking), Map.ofEntries(
            entry("watch", watch),
            entry("unwatch", watch),
            entry("whisper", new Whisper(supervision, chat.whisper())),
            entry("takeover", new TakeOver(supervision, chat.takeOver(), sessions)),
            entry("reassign", new Reassign(supervision, directory, chat.reassign(), blocking)),
            entry("dashboard", new ShowDashboard(dashboard, dashboardFeed, blocking)),
            entry("send", new SendAsAgent(canned, directory, live::openFor, chat.send(),
                blocking)),
            entry("resume", new ResumeAsAgent(sessions, lookup::lookup, records::replay,
                records::replayForSupervisor)),
            entry("typing", relay),
            entry("read", relay),
            centerOnly("status", new SetStatus(sessions, awayReasons)),
            centerOnly("waiting", new ListWaiting(chat.waiting(), views)),
            centerOnly("pick", new PickConversation(chat.pick())),
            centerOnly("inquiries", new ListInquiries(records::pendingInquiries, views, blocking)),
            centerOnly("canned", new FindCanned(canned, blocking)),
            centerOnly("categories", new ListCategories(directory, blocking)),
            centerOnly("close", new CloseConversation(directory, chat.close(), blocking)),
            centerOnly("transfer", new Transfer(directory, chat.toQueue(), chat.toAgent(), blocking)),
            centerOnly("transferTargets", new TransferTargets(directory, lookup::find,
                live::openForAgent, sessions, blocking)),
            centerOnly("hold", new HoldConversation(chat.hold())),
            centerOnly("note", new AddNote(chat.note())),
            centerOnly("notes", new ListNotes(records::notes, views)),
            centerOnly("history", new ShowHistory(records::history, sessions, access, blocking))));
  }

  private static Map.Entry<String, FrameHandler<? super AgentSession>> centerOnly(String type,
      FrameHandler<? super AgentSession> handler) {
    return entry(type, new CenterOnly(type, handler));
  }

  Frames<AgentSession> frames() {
    return frames;
  }
}
