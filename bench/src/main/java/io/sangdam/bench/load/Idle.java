package io.sangdam.bench.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Idle customers: each connects, says {@code hello} (so the server holds a customer session, not
 * a bare socket) and then stays silent. The server's heap is weighed after full collections
 * before and after, and the difference divided by the connections.
 */
record Idle(int connections, double bytesPer) {
  private static final int BATCH = 500;

  static Idle measure(WsClients clients, Child server, URI uri, int count) throws Exception {
    long before = server.heapAfterGc();
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
}
