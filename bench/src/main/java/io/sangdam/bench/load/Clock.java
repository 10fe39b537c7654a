package io.sangdam.bench.load;

/** Nanoseconds since the bench began: positive, so they travel in message text as plain digits. */
final class Clock {
  private static final long BASE = System.nanoTime();

  private Clock() {}

  static long now() {
    return System.nanoTime() - BASE;
  }
}
