package io.sangdam.bench.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Idle customers: each connects, says {@code hello} (so the server holds a customer session, not
 * a bare socket) and then stays silent. The server's heap is weighed after full collections
 * before (once it has settled) and after, and the difference divided by the connections.
 */
record Idle(int connections, double bytesPer) {
  private static final int BATCH = 500;
  /** How long the heap is left to settle before it is weighed, at most; and how often it is weighed meanwhile. */
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Duration WEIGHED_EVERY = Duration.ofSeconds(5);
  /** Less than this fall between two weighings is settled. */
  private static final long SETTLED_BYTES = 1 << 20;

  static Idle measure(WsClients clients, Child server, URI uri, int count) throws Exception {
    long before = settled(server);
    List<WsClients.Conn> held = new ArrayList<>();
    for (int from = 0; from < count; from += BATCH) {
      List<CompletableFuture<WsClients.Conn>> batch = new ArrayList<>();
      List<CompletableFuture<Void>> welcomed = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + BATCH); i++) {
        CompletableFuture<Void> welcome = new CompletableFuture<>();
        welcomed.add(welcome);
        batch.add(clients.connect(uri, (c, text) -> {
          if (text.startsWith("{\"type\":\"welcome\"")) {
            welcome.complete(null);
          }
        }));
      }
      List<WsClients.Conn> conns = LoadBench.all(batch, Duration.ofSeconds(60));
      for (int i = 0; i < conns.size(); i++) {
        conns.get(i).send("{\"type\":\"hello\",\"tenant\":\"bench\",\"center\":\"c1\",\"name\":\"대기" + (from + i)
            + "\"}");
      }
      LoadBench.all(welcomed, Duration.ofSeconds(60));
      held.addAll(conns);
    }
    long after = server.heapAfterGc();
    Idle idle = new Idle(held.size(), (double) (after - before) / held.size());
    held.forEach(WsClients.Conn::close);
    return idle;
  }

  /**
   * The heap after full collections once it stops falling: what the relay before left behind (the search index's
   * held messages and its writer's buffer, given up at its next commit, 10 s at most) weighed tens of MB, more than
   * 2,000 idle connections, and made the figure negative.
   */
  private static long settled(Child server) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    long heap = server.heapAfterGc();
    while (System.nanoTime() < deadline) {
      Thread.sleep(WEIGHED_EVERY.toMillis());
      long now = server.heapAfterGc();
      if (now > heap - SETTLED_BYTES) {
        return Math.min(heap, now);
      }
      heap = now;
    }
    return heap;
  }
}
