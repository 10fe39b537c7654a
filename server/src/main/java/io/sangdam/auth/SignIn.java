package io.sangdam.auth;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A login, in three steps on three executors so that no thread waits for another's work: the
 * throttle and the user's stored hash on the caller's (blocking) thread, the password check on
 * the {@link HashingPool} (after the throttle's delay, on {@code delays}), the token back on
 * {@code blocking}.
 */
public final class SignIn {
  private final Authenticator authenticator;
  private final HashingPool hashing;
  private final SignInThrottle throttle;
  private final Executor blocking;
  private final ScheduledExecutorService delays;

  public SignIn(Authenticator authenticator, HashingPool hashing, SignInThrottle throttle, Executor blocking,
      ScheduledExecutorService delays) {
    this.authenticator = requireNonNull(authenticator, "authenticator");
    this.hashing = requireNonNull(hashing, "hashing");
    this.throttle = requireNonNull(throttle, "throttle");
    this.blocking = requireNonNull(blocking, "blocking");
    this.delays = requireNonNull(delays, "delays");
  }

  /** A wrong username or password, with the throttle's limits this failure reached (for the audit log). */
  public static final class Denied extends SangdamException {
    private final List<String> trips;

    Denied(List<String> trips) {
      super(ErrorCode.UNAUTHORIZED, Authenticator.denied().getMessage());
      this.trips = trips;
    }

    public List<String> trips() {
      return trips;
    }
  }

  /**
   * Signs in from {@code address}. Throws {@link SignInThrottle.Refused} (429) or a busy
   * {@code TryAgainLater} (503) at once; the future fails with {@link Denied} for a wrong password.
   * Blocks on the database: call it on a blocking thread.
   */
  public CompletableFuture<Authenticator.Login> logIn(Optional<String> tenant, String username, String password,
      String address) {
    SignInThrottle.Attempt attempt = throttle.begin(address, tenant.orElse(null), username);
    CompletableFuture<Authenticator.Login> login;
    try {
      Authenticator.Candidate candidate = authenticator.candidate(tenant, username);
      login = checkAfter(attempt.delay(), password, candidate.passwordHash())
          .thenApplyAsync(right -> {
            if (!right || !candidate.enabled()) {
              throw new Denied(attempt.trips());
            }
            Authenticator.Login issued = authenticator.issue(candidate);
            attempt.succeeded();
            return issued;
          }, blocking);
    } catch (RuntimeException e) {
      attempt.abandoned();
      throw e;
    }
    return login.whenComplete((done, e) -> {
      // A refused sign-in counts; one that failed for another reason (busy, database) never checked anything.
      if (e != null && !(unwrap(e) instanceof SangdamException s && s.code() == ErrorCode.UNAUTHORIZED)) {
        attempt.abandoned();
      }
    });
  }

  private CompletableFuture<Boolean> checkAfter(Duration delay, String password, String stored) {
    if (delay.isZero()) {
      return hashing.verify(password, stored);
    }
    CompletableFuture<Boolean> checked = new CompletableFuture<>();
    delays.schedule(() -> {
      try {
        hashing.verify(password, stored).whenComplete((right, e) -> {
          if (e != null) {
            checked.completeExceptionally(e);
          } else {
            checked.complete(right);
          }
        });
      } catch (RuntimeException e) {
        checked.completeExceptionally(e);
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
    return checked;
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }
}
