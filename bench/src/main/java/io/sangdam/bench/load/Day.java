package io.sangdam.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A contact-center day in miniature against one server: {@code chats} conversations held level on
 * {@code agents} agents (a full load each), customer and agent each writing on average every 5 s at
 * rate 1 (Poisson over all conversations, open loop, each message stamped with the time it was due),
 * each message announced by {@code typing} and answered by {@code read} as the widget and the agent
 * console send them, customers reconnecting and resuming as the widget does, conversations closed by
 * their agent and replaced by new customers, and a center manager's live dashboard. Latency is from
 * when a message was due to when the other side got it, so a stall shows as latency, not as a lower rate.
 */
final class Day {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Each side of a conversation writes on average this often at rate 1. */
  static final double WRITE_EVERY_SECONDS = 5;
  /** What the widget and the console wait between two {@code typing}s of one conversation. */
  private static final long TYPING_EVERY_NANOS = TimeUnit.SECONDS.toNanos(3);
  /** From the first key (the {@code typing}) to the message being sent. */
  private static final long TYPING_NANOS = TimeUnit.SECONDS.toNanos(2);
  /** Share of the customers who lose their connection in a minute, reconnect and resume. */
  static final double RECONNECTS_PER_MINUTE = 0.05;
  /** A conversation's mean length: closes (and new arrivals) come at chats / this a second. */
  static final double MEAN_CHAT_SECONDS = 600;

  private final WsClients clients;
  private final URI customerUri;
  private final URI agentUri;
  private final List<WsClients.Conn> agents = new ArrayList<>();
  private final List<Chat> chats = new ArrayList<>();
  /** The agent (index) each conversation is assigned to, as the agents were told. */
  private final Map<Long, Integer> agentOf = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final AtomicLong cmids = new AtomicLong();
  private final Semaphore starting = new Semaphore(200);
  private volatile Counts counts = new Counts();
  private volatile boolean traffic;

  /** What happened in one measured window. */
  static final class Counts {
    final ConcurrentHistogram toAgent = new ConcurrentHistogram(3_600_000_000L, 3);
    final ConcurrentHistogram toCustomer = new ConcurrentHistogram(3_600_000_000L, 3);
    final LongAdder sent = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder typing = new LongAdder();
    final LongAdder reads = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder resumed = new LongAdder();
    final LongAdder closes = new LongAdder();
    final LongAdder arrivals = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder dashboards = new LongAdder();
    final LongAdder dashboardBytes = new LongAdder();
  }

  /** One of the day's places for a conversation: its customer of the moment and their conversation. */
  private final class Chat {
    final int slot;
    volatile WsClients.Conn customer;
    volatile String visitor;
    volatile long conversation;
    /** The customer was told {@code assigned}: the agent has it, both may write. */
    volatile boolean assigned;
    /** Connected and welcomed (after a reconnect: resumed); else the customer's messages wait in the outbox. */
    boolean connected;
    volatile long lastSeq;
    /** The connection this client closed itself (a reconnect, or the customer going): not to be reconnected. */
    volatile WsClients.Conn leaving;
    final ArrayDeque<String> outbox = new ArrayDeque<>();
    /** Scheduler thread only: when each side last said {@code typing}. */
    long customerTypedAt = Long.MIN_VALUE / 2;
    long agentTypedAt = Long.MIN_VALUE / 2;

    Chat(int slot) {
      this.slot = slot;
    }

    /** A new customer in this place: connects, hello, queues, start; {@code assigned} makes it live. */
    void arrive() {
      conversation = 0;
      assigned = false;
      visitor = null;
      lastSeq = 0;
      synchronized (this) {
        connected = false;
        outbox.clear();
      }
      connect();
    }

    /** The widget's way back after a lost connection: the same visitor, then {@code resume} from the last seq. */
    void reconnect() {
      synchronized (this) {
        connected = false;
      }
      hangUp(customer);
      connect();
    }

    /** Closes {@code conn} on purpose: no reconnect follows. */
    private void hangUp(WsClients.Conn conn) {
      leaving = conn;
      conn.close();
    }

    /**
     * Connects; a connection that fails, or that the server closes, is tried again after a second, as the widget
     * does (it waits 0.5 s doubling to 10 s).
     */
    private void connect() {
      clients.connect(customerUri, this::atCustomer).whenComplete((conn, failure) -> {
        if (failure != null) {
          error("connect: " + failure.getMessage());
          CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(this::connect);
          return;
        }
        customer = conn;
        conn.channel.closeFuture().addListener(closed -> {
          if (conn != leaving && traffic) {
            error("closed by the server (customer)");
            synchronized (this) {
              connected = false;
            }
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(this::connect);
          }
        });
        String hello = "{\"type\":\"hello\",\"tenant\":\"bench\",\"center\":\"c1\",\"name\":\"고객" + slot + "\""
            + (visitor == null ? "" : ",\"visitor\":\"" + visitor + "\"") + "}";
        conn.send(hello);
      });
    }

    /** A customer's message, or into the outbox while the connection is away (the widget sends it on return). */
    void send(String frame) {
      synchronized (this) {
        if (!connected) {
          outbox.add(frame);
          return;
        }
      }
      customer.send(frame);
    }

    /** What only means something now ({@code typing}): dropped while the connection is away, as the widget does. */
    void sendNow(String frame) {
      synchronized (this) {
        if (!connected) {
          return;
        }
      }
      customer.send(frame);
    }

    private void online(WsClients.Conn conn) {
      synchronized (this) {
        connected = true;
        for (String frame = outbox.poll(); frame != null; frame = outbox.poll()) {
          conn.send(frame);
        }
      }
    }

    private void atCustomer(WsClients.Conn conn, String text) {
      if (text.startsWith("{\"type\":\"message\"")) {
        received(text, counts.toCustomer, conn, this);
        return;
      }
      if (text.startsWith("{\"type\":\"ack\"")) {
        lastSeq = Math.max(lastSeq, number(text, "\"seq\":"));
        return;
      }
      if (text.startsWith("{\"type\":\"typing\"") || text.startsWith("{\"type\":\"read\"")
          || text.startsWith("{\"type\":\"queue\"")) {
        return;
      }
      JsonNode frame = parse(text);
      switch (frame.path("type").asText()) {
        case "welcome" -> welcome(conn, frame);
        case "queues" -> conn.send("{\"type\":\"start\",\"rid\":\"s\",\"queue\":\"q1\"}");
        case "started" -> {
          conversation = frame.path("conversation").path("id").asLong();
          lastSeq = frame.path("conversation").path("lastSeq").asLong();
        }
        case "assigned" -> {
          online(conn);
          assigned = true;
          starting.release();
        }
        case "resumed" -> {
          counts.resumed.increment();
          online(conn);
        }
        case "closed" -> {
          assigned = false;
          if (frame.path("rate").asBoolean()) {
            conn.send("{\"type\":\"rate\",\"conversation\":" + frame.path("conversation").asLong() + ",\"score\":5}");
          } else {
            leave(conn);
          }
        }
        case "rated" -> leave(conn);
        case "error" -> error(frame.path("code").asText() + " (customer)");
        default -> { }
      }
    }

    private void welcome(WsClients.Conn conn, JsonNode frame) {
      boolean returning = visitor != null;
      visitor = frame.path("visitor").asText();
      if (!returning) {
        conn.send("{\"type\":\"queues\",\"rid\":\"q\"}");
        return;
      }
      for (JsonNode open : frame.path("open")) {
        if (open.path("id").asLong() == conversation) {
          conn.send("{\"type\":\"resume\",\"rid\":\"r\",\"conversation\":" + conversation + ",\"afterSeq\":" + lastSeq
              + "}");
          return;
        }
      }
      // Closed while away: the place takes the next customer.
      leave(conn);
    }

    /** The customer has gone after the end; a new one takes the place, so the day stays level. */
    private void leave(WsClients.Conn conn) {
      hangUp(conn);
      if (traffic) {
        counts.arrivals.increment();
        arrive();
      }
    }
  }

  private Day(WsClients clients, String base) {
    this.clients = clients;
    String ws = base.replace("http://", "ws://");
    this.customerUri = URI.create(ws + "/ws/customer");
    this.agentUri = URI.create(ws + "/ws/agent");
  }

  /** Agents online, the manager's board live, then every place's customer assigned. */
  static Day open(WsClients clients, String base, List<String> agentTokens, String managerToken, int chatCount)
      throws Exception {
    Day day = new Day(clients, base);
    day.agentsOnline(agentTokens);
    day.board(managerToken);
    for (int i = 0; i < chatCount; i++) {
      Chat chat = day.new Chat(i);
      day.chats.add(chat);
      if (!day.starting.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("customers are not being assigned; errors " + day.errors);
      }
      chat.arrive();
    }
    if (!day.starting.tryAcquire(200, 120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every customer was assigned; errors " + day.errors);
    }
    day.starting.release(200);
    long unknown = day.chats.stream().filter(c -> !day.agentOf.containsKey(c.conversation)).count();
    if (unknown > 0) {
      throw new IllegalStateException(unknown + " assigned conversations that no agent was told of");
    }
    return day;
  }

  private void agentsOnline(List<String> tokens) throws Exception {
    for (int from = 0; from < tokens.size(); from += 250) {
      List<CompletableFuture<WsClients.Conn>> batch = new ArrayList<>();
      List<CompletableFuture<Void>> online = new ArrayList<>();
      for (int i = from; i < Math.min(tokens.size(), from + 250); i++) {
        int index = i;
        CompletableFuture<Void> ready = new CompletableFuture<>();
        online.add(ready);
        batch.add(clients.connect(agentUri, (conn, text) -> atAgent(index, conn, text, ready)));
      }
      List<WsClients.Conn> conns = LoadBench.all(batch, Duration.ofSeconds(60));
      for (int i = 0; i < conns.size(); i++) {
        conns.get(i).send("{\"type\":\"hello\",\"token\":\"" + tokens.get(from + i) + "\"}");
      }
      agents.addAll(conns);
      LoadBench.all(online, Duration.ofSeconds(60));
    }
  }

  private void board(String token) throws Exception {
    CompletableFuture<Void> first = new CompletableFuture<>();
    WsClients.Conn manager = clients.connect(agentUri, (conn, text) -> {
      if (text.startsWith("{\"type\":\"welcome\"")) {
        conn.send("{\"type\":\"dashboard\",\"rid\":\"d1\",\"live\":true,\"center\":\"bench/c1\"}");
      } else if (text.startsWith("{\"type\":\"dashboard\"")) {
        counts.dashboards.increment();
        counts.dashboardBytes.add(text.length());
        first.complete(null);
      } else if (text.startsWith("{\"type\":\"error\"")) {
        first.completeExceptionally(new IllegalStateException("the manager's board: " + text));
      }
    }).get(30, TimeUnit.SECONDS);
    manager.send("{\"type\":\"hello\",\"token\":\"" + token + "\"}");
    first.get(30, TimeUnit.SECONDS);
  }

  private void atAgent(int index, WsClients.Conn conn, String text, CompletableFuture<Void> ready) {
    if (text.startsWith("{\"type\":\"message\"")) {
      received(text, counts.toAgent, conn, null);
    } else if (text.startsWith("{\"type\":\"assigned\"")) {
      agentOf.put(number(text, "\"id\":"), index);
    } else if (text.startsWith("{\"type\":\"closed\"")) {
      agentOf.remove(number(text, "\"conversation\":"));
    } else if (text.startsWith("{\"type\":\"welcome\"")) {
      conn.send("{\"type\":\"status\",\"status\":\"ONLINE\"}");
    } else if (text.startsWith("{\"type\":\"status\"")) {
      ready.complete(null);
    } else if (text.startsWith("{\"type\":\"error\"")) {
      error(parse(text).path("code").asText() + " (agent)");
    }
  }

  /** A message for {@code conn}'s side: its latency, then {@code read} as the widget and the console say it. */
  private void received(String text, Histogram latencies, WsClients.Conn conn, Chat customer) {
    long seq = number(text, "\"seq\":");
    if (customer != null) {
      customer.lastSeq = Math.max(customer.lastSeq, seq);
    }
    long due = LoadBench.textNanos(text);
    if (due <= 0) {
      return; // a system message
    }
    Counts now = counts;
    latencies.recordValue(Math.max(0, (Clock.now() - due) / 1000));
    now.delivered.increment();
    conn.send("{\"type\":\"read\",\"conversation\":" + number(text, "\"conversation\":") + ",\"seq\":" + seq + "}");
    now.reads.increment();
  }

  /** Starts counting afresh; what was counted so far is returned. */
  Counts reset() {
    Counts before = counts;
    counts = new Counts();
    return before;
  }

  /**
   * Drives the day at {@code rate} (1: each side every 5 s) for {@code duration}, on this thread: messages (each
   * after a {@code typing}), reconnects and closes, each a Poisson process over the live conversations.
   */
  void drive(double rate, Duration duration) {
    traffic = true;
    SplittableRandom random = new SplittableRandom(20);
    double messagesPerNano = rate * 2 * chats.size() / WRITE_EVERY_SECONDS / 1e9;
    double reconnectsPerNano = RECONNECTS_PER_MINUTE * chats.size() / 60 / 1e9;
    double closesPerNano = chats.size() / MEAN_CHAT_SECONDS / 1e9;
    long start = Clock.now();
    long end = start + duration.toNanos();
    long nextMessage = start + gap(random, messagesPerNano);
    long nextReconnect = start + gap(random, reconnectsPerNano);
    long nextClose = start + gap(random, closesPerNano);
    ArrayDeque<Typed> typed = new ArrayDeque<>();
    for (long now = start; now < end; now = Clock.now()) {
      for (; nextMessage <= now; nextMessage += gap(random, messagesPerNano)) {
        Chat chat = chats.get(random.nextInt(chats.size()));
        boolean fromCustomer = random.nextBoolean();
        if (!chat.assigned) {
          counts.skipped.increment();
          continue;
        }
        typing(chat, fromCustomer, nextMessage);
        typed.add(new Typed(chat, chat.conversation, fromCustomer, nextMessage + TYPING_NANOS));
      }
      for (Typed t = typed.peek(); t != null && t.due <= now; t = typed.peek()) {
        typed.poll();
        write(t);
      }
      for (; nextReconnect <= now; nextReconnect += gap(random, reconnectsPerNano)) {
        Chat chat = chats.get(random.nextInt(chats.size()));
        if (chat.assigned && chat.customer != null) {
          counts.reconnects.increment();
          chat.reconnect();
        }
      }
      for (; nextClose <= now; nextClose += gap(random, closesPerNano)) {
        Chat chat = chats.get(random.nextInt(chats.size()));
        Integer agent = chat.assigned ? agentOf.get(chat.conversation) : null;
        if (agent != null) {
          chat.assigned = false;
          counts.closes.increment();
          agents.get(agent).send("{\"type\":\"close\",\"conversation\":" + chat.conversation + "}");
        }
      }
      LockSupport.parkNanos(100_000);
    }
  }

  /** Stops replacing customers whose chat ended. */
  void stop() {
    traffic = false;
  }

  private record Typed(Chat chat, long conversation, boolean fromCustomer, long due) {}

  private void typing(Chat chat, boolean fromCustomer, long now) {
    long last = fromCustomer ? chat.customerTypedAt : chat.agentTypedAt;
    if (now - last < TYPING_EVERY_NANOS) {
      return;
    }
    Integer agent = agentOf.get(chat.conversation);
    String frame = "{\"type\":\"typing\",\"conversation\":" + chat.conversation + "}";
    if (fromCustomer) {
      chat.customerTypedAt = now;
      chat.sendNow(frame);
    } else if (agent != null) {
      chat.agentTypedAt = now;
      agents.get(agent).send(frame);
    }
    counts.typing.increment();
  }

  private void write(Typed t) {
    Integer agent = agentOf.get(t.conversation);
    if (!t.chat.assigned || t.chat.conversation != t.conversation || agent == null) {
      counts.skipped.increment(); // ended while being typed
      return;
    }
    String frame = "{\"type\":\"send\",\"conversation\":" + t.conversation + ",\"cmid\":\"d" + cmids.incrementAndGet()
        + "\",\"text\":\"t" + t.due + Relay.TEXT + "\"}";
    if (t.fromCustomer) {
      t.chat.send(frame);
    } else {
      agents.get(agent).send(frame);
    }
    counts.sent.increment();
  }

  private static long gap(SplittableRandom random, double perNano) {
    return (long) (-Math.log(1 - random.nextDouble()) / perNano);
  }

  private void error(String what) {
    errors.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  /** Errors by code and side, over the whole day. */
  Map<String, Long> errors() {
    Map<String, Long> m = new LinkedHashMap<>();
    errors.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** The client's WebSockets open now (customers, agents, the manager). */
  long connections() {
    return chats.stream().filter(c -> c.customer != null && c.customer.channel.isActive()).count()
        + agents.stream().filter(a -> a.channel.isActive()).count() + 1;
  }

  static Histogram both(Counts counts) {
    Histogram all = counts.toAgent.copy();
    all.add(counts.toCustomer);
    return all;
  }

  /** The value after {@code key} in a frame written by the server: digits only. */
  static long number(String text, String key) {
    int at = text.indexOf(key);
    if (at < 0) {
      return -1;
    }
    long value = 0;
    for (int i = at + key.length(); i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + text, e);
    }
  }

  void close() {
    chats.forEach(c -> {
      if (c.customer != null) {
        c.customer.close();
      }
    });
    agents.forEach(WsClients.Conn::close);
  }
}
