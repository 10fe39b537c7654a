package io.sangdam.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;

/**
 * Open-loop sending at a fixed total rate over many connections, each message stamped with the
 * time it was due (not when it went out), so a stall shows as latency instead of hiding as a
 * slower rate (coordinated omission).
 */
final class Pacer {
  private Pacer() {}

  /** Sends {@code rate} messages a second for {@code duration}, round robin; {@code message} gets (n, due nanos). */
  static long run(List<WsClients.Conn> conns, double rate, Duration duration,
      BiFunction<Long, Long, String> message) {
    long start = Clock.now();
    long end = start + duration.toNanos();
    long sent = 0;
    while (Clock.now() < end) {
      long due = (long) ((Clock.now() - start) * rate / 1e9);
      for (; sent < due; sent++) {
        long dueAt = start + (long) (sent * 1e9 / rate);
        conns.get((int) (sent % conns.size())).send(message.apply(sent, dueAt));
      }
      LockSupport.parkNanos(200_000);
    }
    return sent;
  }
}
