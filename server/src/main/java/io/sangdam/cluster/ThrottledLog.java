package io.sangdam.cluster;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Warns of one kind of trouble at most once per interval, in one line without a stack trace, and
 * says how many more of the kind came since: a flood of bad bus messages fills no disk and hides
 * nothing (the counters have every one).
 */
final class ThrottledLog {
  private final Logger log;
  private final long intervalNanos;
  private final Ticker ticker;
  /** By kind; the kinds are a few fixed words, so this stays small. */
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  ThrottledLog(Logger log, Duration interval, Ticker ticker) {
    this.log = requireNonNull(log, "log");
    this.intervalNanos = interval.toNanos();
    this.ticker = requireNonNull(ticker, "ticker");
  }

  void warn(String kind, String message) {
    Window w = windows.computeIfAbsent(kind, k -> new Window());
    long now = ticker.read();
    long skipped;
    synchronized (w) {
      if (w.logged && now - w.lastLogged < intervalNanos) {
        w.skipped++;
        return;
      }
      skipped = w.skipped;
      w.logged = true;
      w.lastLogged = now;
      w.skipped = 0;
    }
    if (skipped > 0) {
      log.warn("{} ({} more like it in the last {} s)", message, skipped, Duration.ofNanos(intervalNanos).toSeconds());
    } else {
      log.warn(message);
    }
  }

  private static final class Window {
    boolean logged;
    long lastLogged;
    long skipped;
  }
}
