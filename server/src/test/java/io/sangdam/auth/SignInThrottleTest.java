package io.sangdam.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.TryAgainLater;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Sign-in throttling with time under the test's control. */
class SignInThrottleTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  /** A 15-minute window: 10 failures per address, 3 per account and address, 4 per account before slowing down, 5 s at most. */
  private final SignInThrottle throttle = new SignInThrottle(new SignInThrottle.Limits(Duration.ofMinutes(15), 10, 3,
      4, Duration.ofSeconds(5)), nanos::get, 1_000);

  private void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  private List<String> fail(String address, String tenant, String username) {
    return throttle.begin(address, tenant, username).failed();
  }

  /** Fails {@code attempt} once its delay is known; returns that delay. */
  private static Duration fail(SignInThrottle.Attempt attempt) {
    attempt.failed();
    return attempt.delay();
  }

  private static void assertBusy(Executable attempt) {
    TryAgainLater busy = assertThrows(TryAgainLater.class, attempt);
    assertEquals(ErrorCode.UNAVAILABLE, busy.code(), "busy, not refused for a window");
    assertEquals(Duration.ofSeconds(1), busy.retryAfter());
  }

  @Test
  void anAccountFromOneAddressIsRefusedPastItsLimitEvenWithTheRightPasswordUntilTheWindowEnds() {
    for (int i = 0; i < 3; i++) {
      fail("203.0.113.5", null, "admin");
    }
    SignInThrottle.Refused refused = assertThrows(SignInThrottle.Refused.class,
        () -> throttle.begin("203.0.113.5", null, "admin"));
    assertEquals(ErrorCode.TOO_MANY_ATTEMPTS, refused.code());
    assertEquals(Duration.ofMinutes(15), refused.retryAfter());
    advance(Duration.ofMinutes(10));
    assertEquals(Duration.ofMinutes(5), assertThrows(SignInThrottle.Refused.class,
        () -> throttle.begin("203.0.113.5", null, "ADMIN")).retryAfter(), "user names are counted case-blind");
    throttle.begin("203.0.113.6", null, "admin").succeeded();
    throttle.begin("203.0.113.5", "acme", "admin").succeeded();
    advance(Duration.ofMinutes(5));
    throttle.begin("203.0.113.5", null, "admin").succeeded();
  }

  @Test
  void anAddressIsRefusedPastItsLimitWhateverTheAccount() {
    for (int i = 0; i < 10; i++) {
      fail("203.0.113.7", "acme", "user" + i);
    }
    assertThrows(SignInThrottle.Refused.class, () -> throttle.begin("203.0.113.7", "acme", "someone-else"));
    throttle.begin("203.0.113.8", "acme", "someone-else").succeeded();
  }

  @Test
  void anAccountAttackedFromManyAddressesIsSlowedDownBoundedlyAndNeverRefused() {
    for (int i = 0; i < 4; i++) {
      SignInThrottle.Attempt guess = throttle.begin("198.51.100." + i, null, "admin");
      assertEquals(Duration.ZERO, guess.delay());
      guess.failed();
    }
    assertEquals(Duration.ofMillis(500), throttle.begin("198.51.100.50", null, "admin").delay());
    assertEquals(Duration.ofSeconds(1), throttle.begin("198.51.100.51", null, "admin").delay(),
        "a guess still being checked slows the next one down as a failure does");
    assertEquals(Duration.ofSeconds(2), fail(throttle.begin("198.51.100.52", null, "admin")));
    assertEquals(Duration.ofSeconds(4), fail(throttle.begin("198.51.100.53", null, "admin")));
    for (int i = 0; i < 200; i++) {
      assertEquals(Duration.ofSeconds(5), fail(throttle.begin("192.0.2." + i, null, "admin")));
    }
    SignInThrottle.Attempt owner = throttle.begin("10.1.2.3", null, "admin");
    assertEquals(Duration.ofSeconds(5), owner.delay());
    owner.succeeded();
    assertEquals(Duration.ZERO, throttle.begin("10.1.2.3", null, "admin").delay(), "the owner's success starts over");
  }

  @Test
  void concurrentGuessesAtOneAccountAreCappedAtTheFailuresLeftAndTheNextOneIsBusyNotRefused() {
    List<SignInThrottle.Attempt> inFlight = List.of(throttle.begin("203.0.113.9", "acme", "kim"),
        throttle.begin("203.0.113.9", "acme", "kim"), throttle.begin("203.0.113.9", "acme", "kim"));
    assertBusy(() -> throttle.begin("203.0.113.9", "acme", "kim"));
    inFlight.get(0).abandoned();
    SignInThrottle.Attempt again = throttle.begin("203.0.113.9", "acme", "kim");
    again.failed();
    inFlight.get(1).failed();
    inFlight.get(2).failed();
    assertEquals(Duration.ofMinutes(15), assertThrows(SignInThrottle.Refused.class,
        () -> throttle.begin("203.0.113.9", "acme", "kim")).retryAfter(), "three guesses checked, no more");
  }

  @Test
  void manyConcurrentRightSignInsFromOneAddressAreNeverRefusedOnlyBusyPastTheCap() {
    String office = "198.51.100.77";
    fail(office, "acme", "typo");
    fail(office, "acme", "typo");
    int signedIn = 0;
    for (int round = 0; round < 20; round++) {
      List<SignInThrottle.Attempt> inFlight = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        inFlight.add(throttle.begin(office, "acme", "agent" + (round * 8 + i)));
      }
      int agent = round * 8 + 8;
      assertBusy(() -> throttle.begin(office, "acme", "agent" + agent));
      inFlight.forEach(SignInThrottle.Attempt::succeeded);
      signedIn += inFlight.size();
    }
    assertEquals(160, signedIn, "never a 429: right passwords being checked are not failures");
    advance(Duration.ofMinutes(16));
    for (int i = 0; i < 10; i++) {
      throttle.begin(office, "acme", "late" + i);
    }
    assertBusy(() -> throttle.begin(office, "acme", "late10"));
  }

  @Test
  void aBurstOfConcurrentWrongGuessesFromOneAddressGetsNoMoreThanTheLimitChecked() {
    String attacker = "198.51.100.66";
    List<SignInThrottle.Attempt> burst = new ArrayList<>();
    int busy = 0;
    for (int i = 0; i < 100; i++) {
      try {
        burst.add(throttle.begin(attacker, "acme", "user" + i));
      } catch (SignInThrottle.Refused e) {
        throw new AssertionError("nothing failed yet", e);
      } catch (TryAgainLater e) {
        busy++;
      }
    }
    assertEquals(10, burst.size(), "the address's limit");
    assertEquals(90, busy);
    burst.forEach(SignInThrottle.Attempt::failed);
    SignInThrottle.Refused refused = assertThrows(SignInThrottle.Refused.class,
        () -> throttle.begin(attacker, "acme", "admin"));
    assertEquals(Duration.ofMinutes(15), refused.retryAfter());
  }

  @Test
  void anAttemptCountsOnceHoweverItIsSettled() {
    SignInThrottle.Attempt attempt = throttle.begin("203.0.113.11", "acme", "park");
    attempt.failed();
    attempt.abandoned();
    attempt.succeeded();
    assertEquals(List.of(), attempt.failed());
    fail("203.0.113.11", "acme", "park");
    assertEquals(1, fail("203.0.113.11", "acme", "park").size(), "the third failure, not the fourth, trips");
  }

  @Test
  void eachLimitTripsOnceAndRefusalsAreWorthAuditingAtTenfoldCounts() {
    assertEquals(List.of(), fail("203.0.113.10", "acme", "lee"));
    assertEquals(List.of(), fail("203.0.113.10", "acme", "lee"));
    List<String> trips = fail("203.0.113.10", "acme", "lee");
    assertEquals(1, trips.size());
    assertTrue(trips.get(0).contains("acme/lee from 203.0.113.10"), trips.get(0));
    long audited = 0;
    for (int i = 1; i <= 1000; i++) {
      SignInThrottle.Refused r = assertThrows(SignInThrottle.Refused.class,
          () -> throttle.begin("203.0.113.10", "acme", "lee"));
      assertEquals(i, r.refusals());
      audited += r.worthAuditing() ? 1 : 0;
    }
    assertEquals(4, audited, "the 1st, 10th, 100th and 1000th");
  }

  @Test
  void ipv6AddressesCountByTheirSlash64() {
    for (int i = 0; i < 3; i++) {
      fail("2001:db8:1:2::" + Integer.toHexString(i + 1), null, "admin");
    }
    assertThrows(SignInThrottle.Refused.class, () -> throttle.begin("2001:db8:1:2:ffff::9", null, "admin"));
    throttle.begin("2001:db8:1:3::1", null, "admin").succeeded();
    assertEquals("2001:db8:1:2::/64", SignInThrottle.addressKey("2001:0db8:0001:0002:0:0:0:1"));
    assertEquals("203.0.113.1", SignInThrottle.addressKey("203.0.113.1"));
  }

  @Test
  void memoryStaysBoundedWhateverTheNumberOfAddressesAndAccounts() {
    for (int i = 0; i < 50_000; i++) {
      fail("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), "t" + i, "u" + i);
    }
    assertTrue(throttle.tracked() <= 3 * 1_000, "tracked " + throttle.tracked());
    advance(Duration.ofMinutes(16));
    assertEquals(0, throttle.tracked(), "everything is forgotten a window after its last attempt");
  }
}
