package io.sangdam.presence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  void aBurstIsAllowedThenTheSustainedRate() {
    AtomicLong now = new AtomicLong();
    RateLimiter limiter = new RateLimiter(10, 3, now::get);
    assertTrue(limiter.tryAcquire());
    assertTrue(limiter.tryAcquire());
    assertTrue(limiter.tryAcquire());
    assertFalse(limiter.tryAcquire());
    now.addAndGet(100_000_000L);
    assertTrue(limiter.tryAcquire(), "one token back after a tenth of a second at 10/s");
    assertFalse(limiter.tryAcquire());
    now.addAndGet(60_000_000_000L);
    for (int i = 0; i < 3; i++) {
      assertTrue(limiter.tryAcquire());
    }
    assertFalse(limiter.tryAcquire(), "an idle minute refills no more than the burst");
  }
}
