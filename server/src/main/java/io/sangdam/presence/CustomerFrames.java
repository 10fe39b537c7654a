package io.sangdam.presence;

import static java.util.Map.entry;
import static java.util.Objects.requireNonNull;

import io.sangdam.auth.Visitors;
import io.sangdam.callback.Callbacks;
import io.sangdam.chat.ConversationRecords;
import io.sangdam.chat.LiveConversations;
import io.sangdam.directory.Directory;
import io.sangdam.widget.Widgets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/** The customer widget's socket (/ws/customer): its {@code hello} and the handler of every frame type after it, in one table. */
public final class CustomerFrames {
  private final Frames<CustomerSession> frames;

  /** {@code blocking}: where directory and database work runs; {@code nanoTime}: the clock of typing's pace. */
  public CustomerFrames(Directory directory, Visitors visitors, LiveConversations live, ChatCalls chat,
      LongConsumer customerConnected, LongConsumer customerDisconnected, ConversationRecords records,
      Callbacks callbacks, Sessions sessions, OtherSide otherSide, Widgets widgets, Clock clock, Executor blocking,
      LongSupplier nanoTime) {
    requireNonNull(directory, "directory");
    requireNonNull(visitors, "visitors");
    requireNonNull(live, "live");
    requireNonNull(chat, "chat");
    requireNonNull(customerConnected, "customerConnected");
    requireNonNull(customerDisconnected, "customerDisconnected");
    requireNonNull(records, "records");
    requireNonNull(callbacks, "callbacks");
    requireNonNull(sessions, "sessions");
    requireNonNull(otherSide, "otherSide");
    requireNonNull(widgets, "widgets");
    requireNonNull(clock, "clock");
    requireNonNull(blocking, "blocking");
    requireNonNull(nanoTime, "nanoTime");
    Relay relay = new Relay(live::openFor, otherSide, nanoTime);
    this.frames = new Frames<>(new CustomerHello(directory, visitors, sessions,
        live::openForCustomer, customerConnected, customerDisconnected,
        blocking), Map.ofEntries(
            entry("start", new StartConversation(directory, chat.start(), records::leaveInquiry,
                sessions.views(), widgets::check, widgets::keep, clock, blocking)),
            entry("queues", new ListQueues(directory, clock, blocking)),
            entry("callbackSlots", new ListCallbackSlots(directory, clock, blocking)),
            entry("callback", new RequestCallback(directory, callbacks, blocking)),
            entry("send", new SendAsCustomer(chat.send())),
            entry("resume", new ResumeAsCustomer(records::replay)),
            entry("typing", relay),
            entry("read", relay),
            entry("rate", new RateConversation(chat.rate())),
            entry("leave", new LeaveConversation(chat.leave()))));
  }

  Frames<CustomerSession> frames() {
    return frames;
  }
}
