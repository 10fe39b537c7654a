package io.sangdam.auth;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.TryAgainLater;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts failed sign-ins per address, per account and address, and per account (an account is
 * tenant and username), each in a fixed window that starts with its first failure. An address, or
 * an account from one address, that reached its limit is refused (429) until its window ends; an
 * account attacked from many addresses only gets slower to sign in to, never refused, so that
 * nobody can lock its owner out.
 *
 * <p>Attempts still being checked are counted apart from failures: they are not failures (an
 * office behind one NAT signing in at shift start fills the hashing queue with right passwords),
 * but at most {@code limit - failures} of them may be checked at once, so that a burst of
 * concurrent guesses cannot get more than the limit checked. One past that cap is refused as busy
 * (503, try again in a second), not for a window. Memory is bounded: at most {@code maxTracked}
 * keys per kind, each forgotten a window after its last change.
 */
public final class SignInThrottle {
  /** The limits of {@code auth.throttle.*}. */
  public record Limits(Duration window, int addressFailures, int accountAddressFailures, int accountFailures,
      Duration maxDelay) {}

  /**
   * A key's counts: failures in the window that started with the first of them, attempts being
   * checked, and attempts refused since the failures reached the limit.
   */
  private record Window(long start, int failures, int checking, long refused) {
    boolean idle() {
      return failures == 0 && checking == 0 && refused == 0;
    }
  }

  /** The slow-down of an attacked account starts at this and doubles with every further failure, up to the limit. */
  private static final Duration FIRST_DELAY = Duration.ofMillis(500);

  /** When to try again after a refusal for too many attempts being checked at once: as for any full queue. */
  private static final Duration BUSY_RETRY = Duration.ofSeconds(1);

  private final Limits limits;
  private final Ticker ticker;
  private final long windowNanos;
  private final Cache<String, Window> byAddress;
  private final Cache<String, Window> byAccountAddress;
  private final Cache<String, Window> byAccount;

  public SignInThrottle(Limits limits, Ticker ticker, int maxTracked) {
    this.limits = requireNonNull(limits, "limits");
    this.ticker = requireNonNull(ticker, "ticker");
    this.windowNanos = limits.window().toNanos();
    this.byAddress = cache(maxTracked);
    this.byAccountAddress = cache(maxTracked);
    this.byAccount = cache(maxTracked);
  }

  private Cache<String, Window> cache(int maxTracked) {
    // Evictions run on the caller's thread, so the bound holds as soon as a key is added.
    return Caffeine.newBuilder().maximumSize(maxTracked).expireAfterWrite(limits.window()).ticker(ticker)
        .executor(Runnable::run).build();
  }

  /** A sign-in refused by the throttle: 429 {@code too_many_attempts} until {@code retryAfter}. */
  public static final class Refused extends TryAgainLater {
    private final long refusals;

    Refused(String message, Duration retryAfter, long refusals) {
      super(ErrorCode.TOO_MANY_ATTEMPTS, message, retryAfter);
      this.refusals = refusals;
    }

    /** How many attempts this limit refused in its window, this one included. */
    public long refusals() {
      return refusals;
    }

    /**
     * The first refusal of a window, then the 10th, 100th and so on: enough for the audit log to
     * show an attack and its size, too few for an attack to flood it.
     */
    public boolean worthAuditing() {
      long n = refusals;
      while (n % 10 == 0) {
        n /= 10;
      }
      return n == 1;
    }
  }

  /**
   * One admitted attempt, being checked until one of {@link #succeeded()}, {@link #failed()} or
   * {@link #abandoned()} (only the first counts). {@code delay}: how long to wait before checking
   * its password.
   */
  public final class Attempt {
    private final String address;
    private final String accountAddress;
    private final String account;
    private final Duration delay;
    private final AtomicBoolean settled = new AtomicBoolean();

    private Attempt(String address, String accountAddress, String account, Duration delay) {
      this.address = address;
      this.accountAddress = accountAddress;
      this.account = account;
      this.delay = delay;
    }

    public Duration delay() {
      return delay;
    }

    /**
     * The password was right: the account's counts start again. The address keeps its failures,
     * so that signing in to one's own account between guesses at others buys an attacker nothing.
     */
    public void succeeded() {
      if (settled.compareAndSet(false, true)) {
        checked(byAddress, address);
        startOver(byAccountAddress, accountAddress);
        startOver(byAccount, account);
      }
    }

    /** The password was wrong: counts as a failure. Returns the limits this failure reached, for the audit log. */
    public List<String> failed() {
      if (!settled.compareAndSet(false, true)) {
        return List.of();
      }
      List<String> trips = new ArrayList<>();
      if (failure(byAddress, address) == limits.addressFailures()) {
        trips.add(limits.addressFailures() + " failed sign-ins from " + address + ": further ones refused for "
            + limits.window().toSeconds() + " s");
      }
      if (failure(byAccountAddress, accountAddress) == limits.accountAddressFailures()) {
        trips.add(limits.accountAddressFailures() + " failed sign-ins to " + account + " from " + address
            + ": further ones from there refused for " + limits.window().toSeconds() + " s");
      }
      if (failure(byAccount, account) == limits.accountFailures()) {
        trips.add(limits.accountFailures() + " failed sign-ins to " + account
            + " from anywhere: its sign-in slowed down");
      }
      return List.copyOf(trips);
    }

    /** The password was never checked (the server was busy, or the database failed): nothing counts. */
    public void abandoned() {
      if (settled.compareAndSet(false, true)) {
        checked(byAddress, address);
        checked(byAccountAddress, accountAddress);
        checked(byAccount, account);
      }
    }
  }

  /**
   * Admits an attempt to sign in to {@code username} of {@code tenant} (null: HQ) from
   * {@code address}, or throws {@link Refused} (429) when the address, or the account from it, has
   * reached its failures, or a busy {@link TryAgainLater} (503) when as many attempts as it has
   * failures left are being checked already.
   */
  public Attempt begin(String address, String tenant, String username) {
    String from = addressKey(address);
    String account = (tenant == null ? "" : tenant) + "/" + username.toLowerCase(Locale.ROOT);
    String accountFrom = account + "@" + from;
    admit(byAddress, from, limits.addressFailures(), "from this address");
    try {
      admit(byAccountAddress, accountFrom, limits.accountAddressFailures(), "to this account from this address");
    } catch (TryAgainLater e) {
      checked(byAddress, from);
      throw e;
    }
    long now = ticker.read();
    AtomicInteger before = new AtomicInteger();
    byAccount.asMap().compute(account, (k, old) -> {
      Window w = current(old, now);
      // Attempts being checked count towards the slow-down too: a burst from many addresses is slowed like a series.
      before.set(w.failures() + w.checking());
      return new Window(w.start(), w.failures(), w.checking() + 1, w.refused());
    });
    return new Attempt(from, accountFrom, account, delay(before.get()));
  }

  /** How long an attempt waits when the account already has {@code failures} in its window. */
  Duration delay(int failures) {
    if (failures < limits.accountFailures()) {
      return Duration.ZERO;
    }
    Duration doubled = FIRST_DELAY.multipliedBy(1L << Math.min(failures - limits.accountFailures(), 20));
    return doubled.compareTo(limits.maxDelay()) > 0 ? limits.maxDelay() : doubled;
  }

  /** Keys tracked of each kind together: what the memory bound is about. */
  public long tracked() {
    byAddress.cleanUp();
    byAccountAddress.cleanUp();
    byAccount.cleanUp();
    return byAddress.estimatedSize() + byAccountAddress.estimatedSize() + byAccount.estimatedSize();
  }

  /** Counts an attempt being checked under {@code key}, or refuses it (429 at the limit, busy at the cap). */
  private void admit(Cache<String, Window> cache, String key, int limit, String what) {
    long now = ticker.read();
    AtomicReference<TryAgainLater> refused = new AtomicReference<>();
    cache.asMap().compute(key, (k, old) -> {
      Window w = current(old, now);
      if (w.failures() >= limit) {
        long count = w.refused() + 1;
        refused.set(new Refused("too many failed sign-ins " + what + "; try again later",
            Duration.ofNanos(w.start() + windowNanos - now), count));
        return new Window(w.start(), w.failures(), w.checking(), count);
      }
      if (w.failures() + w.checking() >= limit) {
        refused.set(new TryAgainLater(ErrorCode.UNAVAILABLE, "too many sign-ins " + what
            + " are being checked at once; try again", BUSY_RETRY));
        return w;
      }
      return new Window(w.start(), w.failures(), w.checking() + 1, w.refused());
    });
    if (refused.get() != null) {
      throw refused.get();
    }
  }

  /** One attempt under {@code key} was checked and failed; returns the key's failures in its window. */
  private int failure(Cache<String, Window> cache, String key) {
    long now = ticker.read();
    return cache.asMap().compute(key, (k, old) -> {
      Window w = current(old, now);
      return new Window(w.failures() == 0 ? now : w.start(), w.failures() + 1, Math.max(0, w.checking() - 1),
          w.refused());
    }).failures();
  }

  /** One attempt under {@code key} is no longer being checked, and did not fail. */
  private void checked(Cache<String, Window> cache, String key) {
    long now = ticker.read();
    cache.asMap().computeIfPresent(key, (k, old) -> {
      Window w = current(old, now);
      Window left = new Window(w.start(), w.failures(), Math.max(0, w.checking() - 1), w.refused());
      return left.idle() ? null : left;
    });
  }

  /** One attempt under {@code key} succeeded: its failures start again; the others being checked still count. */
  private void startOver(Cache<String, Window> cache, String key) {
    cache.asMap().computeIfPresent(key, (k, w) -> w.checking() <= 1 ? null : new Window(0, 0, w.checking() - 1, 0));
  }

  /** The window as it stands {@code now}: a fresh one (keeping the attempts being checked) once it has passed. */
  private Window current(Window w, long now) {
    if (w == null) {
      return new Window(now, 0, 0, 0);
    }
    boolean passed = now - w.start() >= windowNanos && (w.failures() > 0 || w.refused() > 0);
    return passed ? new Window(now, 0, w.checking(), 0) : w;
  }

  /**
   * IPv4 addresses count one by one; IPv6 ones by their /64, the block one subscriber is given,
   * so that an attacker cannot take a fresh address for every guess.
   */
  static String addressKey(String address) {
    if (address == null || !address.matches("[0-9a-fA-F:.%]+") || !address.contains(":")) {
      return String.valueOf(address);
    }
    int zone = address.indexOf('%');
    try {
      byte[] bytes = InetAddress.getByName(zone < 0 ? address : address.substring(0, zone)).getAddress();
      if (bytes.length != 16) {
        return address;
      }
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
      }
      return prefix.append(":/64").toString();
    } catch (UnknownHostException e) {
      return address;
    }
  }
}
