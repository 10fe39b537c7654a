package io.sangdam.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Customers chatting with agents through Sangdam: every customer has a conversation assigned to
 * an agent; a customer's {@code send} is acknowledged once committed, and the agent receives it as
 * {@code message}. Measures what reaches the agents.
 */
final class Relay implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String TEXT = " 안녕하세요, 지난달 카드 결제 건으로 문의드립니다. 확인 부탁드려요.";

  /** QUIET: frames go to the setup's inboxes; DRAIN: in-flight messages land, nothing is counted or sent. */
  private enum Mode { QUIET, THROUGHPUT, LATENCY, DRAIN }

  private volatile Mode mode = Mode.QUIET;
  private final List<WsClients.Conn> customers = new ArrayList<>();
  private final List<WsClients.Conn> agents = new ArrayList<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong cmids = new AtomicLong();
  /** Customers whose {@code assigned} never came (within 30 s) although their chat was started. */
  int assignedUntold;
  /** Customers told {@code assigned} before {@code started}, against the protocol's order. */
  int assignedBeforeStarted;
  private volatile ConcurrentHistogram latencies = new ConcurrentHistogram(3_600_000_000L, 3);

  private Relay() {}

  /** Agents online, then each customer says hello and starts a conversation that an agent takes. */
  static Relay open(WsClients clients, Setup setup, int customerCount) throws Exception {
    String ws = setup.base().replace("http://", "ws://");
    Relay relay = open(clients, ws, ws, "c1", "q1", setup.agentTokens(), customerCount);
    if (relay.assignedUntold > 0 || relay.assignedBeforeStarted > 0) {
      throw new IllegalStateException(relay.assignedUntold + " customers were never told they were assigned, "
          + relay.assignedBeforeStarted + " before they were told it started");
    }
    return relay;
  }

  /**
   * As {@link #open(WsClients, Setup, int)}, the customers connected to the server at {@code customersWs}
   * and the agents to the one at {@code agentsWs} ({@code ws://host:port}, the same or two nodes of a
   * cluster), in {@code center} and its {@code queue} of tenant {@code bench}.
   */
  static Relay open(WsClients clients, String customersWs, String agentsWs, String center, String queue,
      List<String> agentTokens, int customerCount) throws Exception {
    Relay relay = new Relay();
    List<CompletableFuture<WsClients.Conn>> agentConns = new ArrayList<>();
    List<BlockingQueue<String>> agentInboxes = new ArrayList<>();
    for (String token : agentTokens) {
      BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
      agentInboxes.add(inbox);
      agentConns.add(clients.connect(URI.create(agentsWs + "/ws/agent"), (c, text) -> relay.atAgent(inbox, text)));
    }
    relay.agents.addAll(LoadBench.all(agentConns, Duration.ofSeconds(30)));
    for (int i = 0; i < relay.agents.size(); i++) {
      WsClients.Conn agent = relay.agents.get(i);
      agent.send("{\"type\":\"hello\",\"token\":\"" + agentTokens.get(i) + "\"}");
      expect(agentInboxes.get(i), "welcome");
      agent.send("{\"type\":\"status\",\"status\":\"ONLINE\"}");
      expect(agentInboxes.get(i), "status");
    }
    List<BlockingQueue<String>> inboxes = new ArrayList<>();
    List<CompletableFuture<WsClients.Conn>> customerConns = new ArrayList<>();
    for (int i = 0; i < customerCount; i++) {
      BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
      inboxes.add(inbox);
      customerConns.add(clients.connect(URI.create(customersWs + "/ws/customer"), (c, text) -> relay.atCustomer(c,
          inbox, text)));
    }
    relay.customers.addAll(LoadBench.all(customerConns, Duration.ofSeconds(60)));
    for (int i = 0; i < customerCount; i++) {
      WsClients.Conn c = relay.customers.get(i);
      c.send("{\"type\":\"hello\",\"tenant\":\"bench\",\"center\":\"" + center + "\",\"name\":\"고객" + i + "\"}");
      expect(inboxes.get(i), "welcome");
      c.send("{\"type\":\"start\",\"queue\":\"" + queue + "\"}");
      // The protocol promises started before assigned; one coming first is counted, not skipped over.
      JsonNode first = expect(inboxes.get(i), "started", "assigned");
      if (first.path("type").asText().equals("assigned")) {
        relay.assignedBeforeStarted++;
        c.tag = expect(inboxes.get(i), "started").path("conversation").path("id").asLong();
      } else {
        c.tag = first.path("conversation").path("id").asLong();
        try {
          expect(inboxes.get(i), "assigned");
        } catch (IllegalStateException untold) {
          // Counted, not fatal: the agent has the chat, so the customer's messages still reach it.
          relay.assignedUntold++;
        }
      }
    }
    return relay;
  }

  /** The first frame of one of {@code types} within 30 s, skipping others; fails on an error. */
  private static JsonNode expect(BlockingQueue<String> inbox, String... types) throws Exception {
    String type = String.join(" or ", types);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      String text = inbox.poll(1, TimeUnit.SECONDS);
      if (text != null) {
        JsonNode node = JSON.readTree(text);
        if (List.of(types).contains(node.path("type").asText())) {
          return node;
        }
        if (node.path("type").asText().equals("error")) {
          throw new IllegalStateException("expected " + type + ", got " + text);
        }
      }
    }
    throw new IllegalStateException("no " + type + " within 30 s");
  }

  private void atAgent(BlockingQueue<String> inbox, String text) {
    Mode m = mode;
    if (m == Mode.QUIET) {
      inbox.add(text);
    } else if (m != Mode.DRAIN && text.startsWith("{\"type\":\"message\"")) {
      delivered.incrementAndGet();
      if (m == Mode.LATENCY) {
        latencies.recordValue(Math.max(0, (Clock.now() - LoadBench.textNanos(text)) / 1000));
      }
    }
  }

  private void atCustomer(WsClients.Conn c, BlockingQueue<String> inbox, String text) {
    Mode m = mode;
    if (m == Mode.QUIET) {
      inbox.add(text);
    } else if (m == Mode.THROUGHPUT && text.startsWith("{\"type\":\"ack\"")) {
      send(c, Clock.now());
    }
  }

  private void send(WsClients.Conn c, long due) {
    c.send(frame(c, due));
  }

  /** A customer's {@code send}, its text starting with the time it was due. */
  private String frame(WsClients.Conn c, long due) {
    return "{\"type\":\"send\",\"conversation\":" + c.tag + ",\"cmid\":\"m" + cmids.incrementAndGet()
        + "\",\"text\":\"t" + due + TEXT + "\"}";
  }

  /** Each customer keeps {@code window} messages in flight (the next goes on each ack); counts what agents get. */
  LoadBench.Throughput maxThroughput(int window, Duration duration) throws InterruptedException {
    return maxThroughput(window, LoadBench.WARM_UP, duration, () -> Child.Cpu.NONE);
  }

  /**
   * As {@link #maxThroughput(int, Duration)}, counting after {@code warmUp}, with the CPU the server under test
   * ({@code cpu}) used in the counted seconds.
   */
  LoadBench.Throughput maxThroughput(int window, Duration warmUp, Duration duration, Supplier<Child.Cpu> cpu)
      throws InterruptedException {
    mode = Mode.THROUGHPUT;
    for (WsClients.Conn c : customers) {
      for (int i = 0; i < window; i++) {
        send(c, Clock.now());
      }
    }
    Thread.sleep(warmUp.toMillis());
    long before = delivered.get();
    Child.Cpu cpuBefore = cpu.get();
    long start = System.nanoTime();
    Thread.sleep(duration.toMillis());
    long count = delivered.get() - before;
    Child.Cpu used = cpu.get().minus(cpuBefore);
    double seconds = (System.nanoTime() - start) / 1e9;
    mode = Mode.DRAIN;
    Thread.sleep(2_000);
    return new LoadBench.Throughput(count, seconds, used);
  }

  /** Open loop at {@code rate} messages a second in all; latency from when each was due to the agent's receipt. */
  Latency latencyAt(double rate, Duration duration) throws InterruptedException {
    mode = Mode.LATENCY;
    Pacer.run(customers, rate, Duration.ofSeconds(3), this::message);
    latencies = new ConcurrentHistogram(3_600_000_000L, 3);
    Pacer.run(customers, rate, duration, this::message);
    Thread.sleep(2_000);
    mode = Mode.DRAIN;
    return new Latency(latencies.copy());
  }

  private String message(long n, long due) {
    return frame(customers.get((int) (n % customers.size())), due);
  }

  @Override
  public void close() {
    customers.forEach(WsClients.Conn::close);
    agents.forEach(WsClients.Conn::close);
  }
}
