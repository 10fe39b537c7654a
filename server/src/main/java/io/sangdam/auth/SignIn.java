package io.sangdam.auth;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * A login, in three steps on three executors so that no thread waits for another's work: the
 * throttle on the caller's (blocking) thread, the user's stored hash and the password check on the
 * {@link HashingPool} (after the throttle's delay, on {@code delays}), the token back on
 * {@code blocking}. A user whose password must be changed first (generated, reset or expired) gets a
 * token that may only change it.
 */
public final class SignIn {
  private final Authenticator authenticator;
  private final HashingPool hashing;
  private final SignInThrottle throttle;
  private final Executor blocking;
  private final ScheduledExecutorService delays;
  private final LongPredicate passwordChangeRequired;
  private final CompanyDirectory company;

  /** {@code passwordChangeRequired}: whether a user (by id) who gave the right password must change it first. */
  public SignIn(Authenticator authenticator, HashingPool hashing, SignInThrottle throttle, Executor blocking,
      ScheduledExecutorService delays, LongPredicate passwordChangeRequired, CompanyDirectory company) {
    this.authenticator = requireNonNull(authenticator, "authenticator");
    this.hashing = requireNonNull(hashing, "hashing");
    this.throttle = requireNonNull(throttle, "throttle");
    this.blocking = requireNonNull(blocking, "blocking");
    this.delays = requireNonNull(delays, "delays");
    this.passwordChangeRequired = requireNonNull(passwordChangeRequired, "passwordChangeRequired");
    this.company = requireNonNull(company, "company");
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
   * Touches no database itself; a login and its {@link Denied} complete on {@code blocking}.
   */
  public CompletableFuture<Authenticator.Login> logIn(Optional<String> tenant, String username, String password,
      String address) {
    SignInThrottle.Attempt attempt = throttle.begin(address, tenant.orElse(null), username);
    CompletableFuture<Authenticator.Login> login;
    try {
      login = (company.configured(tenant) ? throughCompanyAfter(attempt.delay(), tenant, username, password,
          address)
          : checkAfter(attempt.delay(), tenant, username, password))
          .thenApplyAsync(checked -> {
            if (!checked.right() || !checked.candidate().enabled()) {
              throw new Denied(attempt.failed());
            }
            Authenticator.Login issued = authenticator.issue(checked.candidate(),
                passwordChangeRequired.test(checked.candidate().userId()));
            attempt.succeeded();
            return issued;
          }, blocking);
    } catch (RuntimeException e) {
      attempt.abandoned();
      throw e;
    }
    return login.whenComplete((done, e) -> {
      // A wrong password was counted as it was found (an attempt settles once); one that failed for
      // another reason (busy, database) checked nothing.
      if (e != null) {
        attempt.abandoned();
      }
    });
  }

  /**
   * The tenant signs in through its company directory: a local (break-glass) account still checks its
   * password here, on the hashing pool, so that it works while the directory is down; anyone else binds
   * to the directory, on {@code blocking}. Either after {@code delay}, so the throttle slows both alike.
   */
  private CompletableFuture<Checked> throughCompanyAfter(Duration delay, Optional<String> tenant, String username,
      String password, String address) {
    CompletableFuture<Void> waited = new CompletableFuture<>();
    if (delay.isZero()) {
      waited.complete(null);
    } else {
      delays.schedule(() -> waited.complete(null), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
    return waited.thenComposeAsync(ignored -> {
      Authenticator.Candidate candidate = authenticator.candidate(tenant, username);
      if (candidate.local()) {
        return hashing.submit(hasher -> new Checked(candidate, hasher.verify(password, candidate.passwordHash())));
      }
      return CompletableFuture.completedFuture(company.signIn(tenant, username, password, address)
          .map(signedIn -> new Checked(signedIn, true))
          .orElse(new Checked(Authenticator.Candidate.NOBODY, false)));
    }, blocking);
  }

  /** A candidate and whether the password was theirs. */
  private record Checked(Authenticator.Candidate candidate, boolean right) {}

  /**
   * Looks the user up and checks the password on the hashing pool, after {@code delay}. The lookup
   * is one indexed read; done there rather than here, a login refused because the pool is full
   * costs no database work, and a flood of them keeps no blocking thread busy.
   */
  private CompletableFuture<Checked> checkAfter(Duration delay, Optional<String> tenant, String username,
      String password) {
    Function<PasswordHasher, Checked> check = hasher -> {
      Authenticator.Candidate candidate = authenticator.candidate(tenant, username);
      return new Checked(candidate, candidate.passwordHash() == null ? hasher.verifyDecoy(password)
          : hasher.verify(password, candidate.passwordHash()));
    };
    if (delay.isZero()) {
      return hashing.submit(check);
    }
    CompletableFuture<Checked> checked = new CompletableFuture<>();
    delays.schedule(() -> {
      try {
        hashing.submit(check).whenComplete((result, e) -> {
          if (e != null) {
            checked.completeExceptionally(e);
          } else {
            checked.complete(result);
          }
        });
      } catch (RuntimeException e) {
        checked.completeExceptionally(e);
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
    return checked;
  }
}
