package io.sangdam.presence;

import static java.util.Objects.requireNonNull;

import io.sangdam.auth.Authenticator;
import io.sangdam.auth.Visitors;
import io.sangdam.audit.AuditLog;
import io.sangdam.canned.CannedResponses;
import io.sangdam.chat.Assignments;
import io.sangdam.chat.Closing;
import io.sangdam.chat.ConversationLookup;
import io.sangdam.chat.ConversationRecords;
import io.sangdam.chat.ConversationStart;
import io.sangdam.chat.Handover;
import io.sangdam.chat.Inactivity;
import io.sangdam.chat.LiveConversations;
import io.sangdam.chat.Sending;
import io.sangdam.dashboard.Dashboard;
import io.sangdam.dashboard.DashboardFeed;
import io.sangdam.directory.Directory;
import io.sangdam.protocol.Json;
import io.sangdam.routing.Routing;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Makes the session for a new WebSocket connection; holds what every session needs. */
public final class SessionFactory {
  final Json json;
  final Directory directory;
  final Authenticator authenticator;
  final CannedResponses canned;
  final AuditLog audit;
  final Visitors visitors;
  final LiveConversations live;
  final ConversationLookup lookup;
  final ConversationStart starting;
  final Sending sending;
  final Closing closing;
  final Inactivity inactivity;
  final Assignments assignments;
  final ConversationRecords records;
  final Handover handover;
  final Sessions sessions;
  final ConversationViews views;
  final Dashboard dashboard;
  final DashboardFeed dashboardFeed;
  final Executor blocking;
  final Clock clock;
  private final int messagesPerSecond;
  private final int burst;
  private final int outboundBytes;
  final LongSupplier nanoTime;
  private final AtomicLong ids = new AtomicLong();

  public SessionFactory(Json json, Directory directory, Authenticator authenticator, CannedResponses canned,
      AuditLog audit, Visitors visitors, LiveConversations live, ConversationLookup lookup,
      ConversationStart starting, Sending sending, Closing closing, Inactivity inactivity, Assignments assignments,
      ConversationRecords records,
      Handover handover, Sessions sessions, Dashboard dashboard, DashboardFeed dashboardFeed, Executor blocking,
      Clock clock, int messagesPerSecond, int burst, int outboundBytes, LongSupplier nanoTime) {
    this.json = requireNonNull(json, "json");
    this.directory = requireNonNull(directory, "directory");
    this.authenticator = requireNonNull(authenticator, "authenticator");
    this.canned = requireNonNull(canned, "canned");
    this.audit = requireNonNull(audit, "audit");
    this.visitors = requireNonNull(visitors, "visitors");
    this.live = requireNonNull(live, "live");
    this.lookup = requireNonNull(lookup, "lookup");
    this.starting = requireNonNull(starting, "starting");
    this.sending = requireNonNull(sending, "sending");
    this.closing = requireNonNull(closing, "closing");
    this.inactivity = requireNonNull(inactivity, "inactivity");
    this.assignments = requireNonNull(assignments, "assignments");
    this.records = requireNonNull(records, "records");
    this.handover = requireNonNull(handover, "handover");
    this.sessions = requireNonNull(sessions, "sessions");
    this.views = sessions.views();
    this.dashboard = requireNonNull(dashboard, "dashboard");
    this.dashboardFeed = requireNonNull(dashboardFeed, "dashboardFeed");
    this.blocking = requireNonNull(blocking, "blocking");
    this.clock = requireNonNull(clock, "clock");
    this.messagesPerSecond = messagesPerSecond;
    this.burst = burst;
    this.outboundBytes = outboundBytes;
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
  }

  /** The registry of sessions, which SessionDelivery tells of conversation events; built here because it renders with the directory and tells routing. */
  public static Sessions sessions(Directory directory, Routing routing, int connectionsPerIdentity) {
    return new Sessions(directory, routing, connectionsPerIdentity);
  }

  public Session customer(Outbound out) {
    return new CustomerSession(ids.incrementAndGet(), out, this, limiter());
  }

  public Session agent(Outbound out) {
    return new AgentSession(ids.incrementAndGet(), out, this, limiter());
  }

  /** The most output a session may have waiting for its client before it is closed as too slow (transport enforces it). */
  public int outboundBytes() {
    return outboundBytes;
  }

  private RateLimiter limiter() {
    return new RateLimiter(messagesPerSecond, burst, nanoTime);
  }
}
