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
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts sign-in attempts that did not succeed, per address, per account and address, and per
 * account (an account is tenant and username), each in a fixed window that starts with its first
 * attempt. An address, or an account from one address, past its limit is refused until its window
 * ends; an account attacked from many addresses only gets slower to sign in to, never refused, so
 * that nobody can lock its owner out. An attempt counts when it starts (so a burst of concurrent
 * guesses cannot slip past the limit) and is taken back if it succeeds or is never checked.
 * Memory is bounded: at most {@code maxTracked} keys per kind, each forgotten a window after its
 * last attempt.
 */
public final class SignInThrottle {
  /** The limits of {@code auth.throttle.*}. */
  public record Limits(Duration window, int addressFailures, int accountAddressFailures, int accountFailures,
      Duration maxDelay) {}

  /** A window of attempts: when it started, attempts not succeeded in it, and attempts refused since its limit. */
  private record Window(long start, int attempts, long refused) {}

  /** The slow-down of an attacked account starts at this and doubles with every further failure, up to the limit. */
  private static final Duration FIRST_DELAY = Duration.ofMillis(500);

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
   * One admitted attempt. {@code trips}: the limits this attempt reached, to audit if it fails;
   * {@code delay}: how long to wait before checking its password.
   */
  public final class Attempt {
    private final String address;
    private final String accountAddress;
    private final String account;
    private final Duration delay;
    private final List<String> trips;

    private Attempt(String address, String accountAddress, String account, Duration delay, List<String> trips) {
      this.address = address;
      this.accountAddress = accountAddress;
      this.account = account;
      this.delay = delay;
      this.trips = List.copyOf(trips);
    }

    public Duration delay() {
      return delay;
    }

    public List<String> trips() {
      return trips;
    }

    /**
     * The password was right: the account's counts start again. The address keeps its other
     * failures (one attempt fewer), so that signing in to one's own account between guesses at
     * others buys an attacker next to nothing.
     */
    public void succeeded() {
      byAccountAddress.invalidate(accountAddress);
      byAccount.invalidate(account);
      takeBack(byAddress, address);
    }

    /** The password was never checked (the server was busy, or the database failed): nothing counts. */
    public void abandoned() {
      takeBack(byAddress, address);
      takeBack(byAccountAddress, accountAddress);
      takeBack(byAccount, account);
    }
  }

  /**
   * Admits an attempt to sign in to {@code username} of {@code tenant} (null: HQ) from
   * {@code address}, or throws {@link Refused}.
   */
  public Attempt begin(String address, String tenant, String username) {
    String from = addressKey(address);
    String account = (tenant == null ? "" : tenant) + "/" + username.toLowerCase(Locale.ROOT);
    String accountFrom = account + "@" + from;
    Window fromAddress = admit(byAddress, from, limits.addressFailures(), "from this address");
    Window accountFromAddress;
    try {
      accountFromAddress = admit(byAccountAddress, accountFrom, limits.accountAddressFailures(),
          "to this account from this address");
    } catch (Refused e) {
      takeBack(byAddress, from);
      throw e;
    }
    Window forAccount = byAccount.asMap().compute(account, (k, w) -> counted(w, ticker.read()));
    List<String> trips = new ArrayList<>();
    if (fromAddress.attempts() == limits.addressFailures()) {
      trips.add(limits.addressFailures() + " failed sign-ins from " + address + ": further ones refused for "
          + limits.window().toSeconds() + " s");
    }
    if (accountFromAddress.attempts() == limits.accountAddressFailures()) {
      trips.add(limits.accountAddressFailures() + " failed sign-ins to " + account + " from " + address
          + ": further ones from there refused for " + limits.window().toSeconds() + " s");
    }
    if (forAccount.attempts() == limits.accountFailures() + 1) {
      trips.add(limits.accountFailures() + " failed sign-ins to " + account + " from anywhere: its sign-in slowed down");
    }
    return new Attempt(from, accountFrom, account, delay(forAccount.attempts() - 1), trips);
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

  /** Counts an attempt under {@code key}, or refuses it when the key's window is at its limit. */
  private Window admit(Cache<String, Window> cache, String key, int limit, String what) {
    long now = ticker.read();
    AtomicReference<Refused> refused = new AtomicReference<>();
    Window w = cache.asMap().compute(key, (k, old) -> {
      if (old != null && live(old, now) && old.attempts() >= limit) {
        long count = old.refused() + 1;
        refused.set(new Refused("too many failed sign-ins " + what + "; try again later",
            Duration.ofNanos(old.start() + windowNanos - now), count));
        return new Window(old.start(), old.attempts(), count);
      }
      return counted(old, now);
    });
    if (refused.get() != null) {
      throw refused.get();
    }
    return w;
  }

  private Window counted(Window old, long now) {
    return old == null || !live(old, now) ? new Window(now, 1, 0) : new Window(old.start(), old.attempts() + 1, old.refused());
  }

  private void takeBack(Cache<String, Window> cache, String key) {
    cache.asMap().computeIfPresent(key, (k, w) -> w.attempts() <= 1 && w.refused() == 0 ? null
        : new Window(w.start(), Math.max(0, w.attempts() - 1), w.refused()));
  }

  private boolean live(Window w, long now) {
    return now - w.start() < windowNanos;
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
