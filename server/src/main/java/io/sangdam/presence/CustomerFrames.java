package io.sangdam.presence;

import static java.util.Map.entry;
import static java.util.Objects.requireNonNull;

import io.sangdam.auth.Visitors;
import io.sangdam.chat.ConversationRecords;
import io.sangdam.chat.Closing;
import io.sangdam.chat.ConversationStart;
import io.sangdam.chat.Inactivity;
import io.sangdam.chat.LiveConversations;
import io.sangdam.chat.Sending;
import io.sangdam.directory.Directory;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/** The customer widget's socket (/ws/customer): its {@code hello} and the handler of every frame type after it, in one table. */
public final class CustomerFrames {
  private final Frames<CustomerSession> frames;

  /** {@code blocking}: where directory and database work runs; {@code nanoTime}: the clock of typing's pace. */
  public CustomerFrames(Directory directory, Visitors visitors, LiveConversations live,
      ConversationStart starting, Sending sending, Closing closing, Inactivity inactivity, ConversationRecords records, Sessions sessions, Clock clock, Executor blocking, LongSupplier nanoTime) {
    requireNonNull(directory, "directory");
    requireNonNull(visitors, "visitors");
    requireNonNull(live, "live");
    requireNonNull(starting, "starting");
    requireNonNull(sending, "sending");
    requireNonNull(closing, "closing");
    requireNonNull(inactivity, "inactivity");
    requireNonNull(records, "records");
    requireNonNull(sessions, "sessions");
    requireNonNull(clock, "clock");
    requireNonNull(blocking, "blocking");
    requireNonNull(nanoTime, "nanoTime");
    Relay relay = new Relay(live::openFor, sessions, nanoTime);
    this.frames = new Frames<>(new CustomerHello(directory, visitors, sessions,
        live::openForCustomer, inactivity::customerConnected, inactivity::customerDisconnected,
        blocking), Map.ofEntries(
            entry("start", new StartConversation(directory, starting::start, records::leaveInquiry,
                sessions.views(), clock, blocking)),
            entry("queues", new ListQueues(directory, clock, blocking)),
            entry("send", new SendAsCustomer(sending::send)),
            entry("resume", new ResumeAsCustomer(records::replay)),
            entry("typing", relay),
            entry("read", relay),
            entry("rate", new RateConversation(records::rate)),
            entry("leave", new LeaveConversation(closing::leave))));
  }

  Frames<CustomerSession> frames() {
    return frames;
  }
}
