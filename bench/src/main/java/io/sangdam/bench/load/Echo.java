package io.sangdam.bench.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The raw echo server driven like the relay: the same connections, frame sizes and window. */
final class Echo {
  private Echo() {}

  /**
   * Each connection keeps {@code window} frames in flight, sending the next as one comes back; with the CPU the
   * echo server ({@code cpu}) used in the counted seconds.
   */
  static LoadBench.Throughput maxThroughput(WsClients clients, URI uri, int connections, int window,
      Duration warmUp, Duration duration, Supplier<Child.Cpu> cpu) throws Exception {
    AtomicLong echoed = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    List<CompletableFuture<WsClients.Conn>> opening = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      opening.add(clients.connect(uri, (c, text) -> {
        echoed.incrementAndGet();
        if (running.get()) {
          c.send(frame(c));
        }
      }));
    }
    List<WsClients.Conn> conns = LoadBench.all(opening, Duration.ofSeconds(60));
    for (int i = 0; i < conns.size(); i++) {
      conns.get(i).tag = i;
      for (int w = 0; w < window; w++) {
        conns.get(i).send(frame(conns.get(i)));
      }
    }
    Thread.sleep(warmUp.toMillis());
    long before = echoed.get();
    Child.Cpu cpuBefore = cpu.get();
    long start = System.nanoTime();
    Thread.sleep(duration.toMillis());
    long count = echoed.get() - before;
    Child.Cpu used = cpu.get().minus(cpuBefore);
    double seconds = (System.nanoTime() - start) / 1e9;
    running.set(false);
    conns.forEach(WsClients.Conn::close);
    return new LoadBench.Throughput(count, seconds, used);
  }

  /** The same shape and size as a customer's send. */
  private static String frame(WsClients.Conn c) {
    return "{\"type\":\"send\",\"conversation\":" + c.tag + ",\"cmid\":\"m" + c.tag + "\",\"text\":\"t" + Clock.now()
        + Relay.TEXT + "\"}";
  }
}
