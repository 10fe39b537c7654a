package io.sangdam.auth;

import static java.util.Objects.requireNonNull;

import io.sangdam.directory.Directory;
import io.sangdam.directory.User;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Passwords of local accounts under their {@link SecurityPolicy}: whether one must be changed before
 * anything else (it was generated or set by someone else, or has expired), the user's own change (the
 * current password checked as a sign-in is, under the same {@link SignInThrottle}), and passwords set
 * by an administrator. Methods block on the database; hashing runs on the {@link HashingPool}.
 */
public final class PasswordChanges {
  /** Base64url letters and digits in four groups: 96 random bits, easy to read out and type once. */
  private static final int GENERATED_CHARS = 16;

  private final PasswordStore store;
  private final SecurityPolicies policies;
  private final Directory directory;
  private final HashingPool hashing;
  private final SignInThrottle throttle;
  private final Secrets secrets;
  private final Clock clock;
  private final Executor blocking;

  public PasswordChanges(PasswordStore store, SecurityPolicies policies, Directory directory, HashingPool hashing,
      SignInThrottle throttle, Secrets secrets, Clock clock, Executor blocking) {
    this.store = requireNonNull(store, "store");
    this.policies = requireNonNull(policies, "policies");
    this.directory = requireNonNull(directory, "directory");
    this.hashing = requireNonNull(hashing, "hashing");
    this.throttle = requireNonNull(throttle, "throttle");
    this.secrets = requireNonNull(secrets, "secrets");
    this.clock = requireNonNull(clock, "clock");
    this.blocking = requireNonNull(blocking, "blocking");
  }

  /** A user's password as the consoles show it: the policy's rules, whether it must be changed, when it expires. */
  public record Status(SecurityPolicy policy, boolean changeRequired, Instant expiresAt) {}

  public Status status(long userId, Long tenantId) {
    SecurityPolicy policy = policies.of(tenantId);
    Optional<PasswordStore.PasswordState> state = store.state(userId);
    Instant expiresAt = policy.expiryDays() == 0 ? null
        : state.map(s -> s.changedAt().plus(java.time.Duration.ofDays(policy.expiryDays()))).orElse(null);
    return new Status(policy, state.map(s -> mustChange(policy, s)).orElse(false), expiresAt);
  }

  /** Whether a user who just gave the right password must change it before doing anything else. */
  public boolean mustChange(long userId) {
    Long tenantId = directory.user(userId).map(User::tenantId).orElse(null);
    SecurityPolicy policy = policies.of(tenantId);
    return store.state(userId).map(s -> mustChange(policy, s)).orElse(false);
  }

  /** Only a local password is changed here: one who signs in through the company directory has none. */
  private boolean mustChange(SecurityPolicy policy, PasswordStore.PasswordState state) {
    return state.hash() != null
        && (state.changeRequired() || policy.expired(state.changedAt(), clock.instant()));
  }

  /** A user's own change was refused because the current password was wrong, with the throttle's limits it reached. */
  public static final class WrongCurrent extends SangdamException {
    private final List<String> trips;

    WrongCurrent(List<String> trips) {
      super(ErrorCode.INVALID_FIELD, "field 'current' is not your current password", "current");
      this.trips = trips;
    }

    public List<String> trips() {
      return trips;
    }
  }

  /**
   * Changes {@code p}'s password from {@code current} to {@code next}, from {@code address}. Throws at
   * once a policy refusal (422 naming the rule) or the throttle's (429, 503); the future fails with
   * {@link WrongCurrent} or a {@code password_reused} refusal, and completes on {@code blocking} once
   * the new password is stored.
   */
  public CompletableFuture<Void> change(Principal p, String current, String next, String address) {
    SecurityPolicy policy = requireAllowed(p.tenantId(), p.user().username(), next, "new");
    String username = p.user().username();
    PasswordStore.PasswordState state = store.state(p.id()).orElseThrow(Authenticator::denied);
    // The current password is one of the last N too: N - 1 older ones are compared besides it.
    List<String> older = policy.reuseLimit() <= 1 ? List.of() : store.previousHashes(p.id(), policy.reuseLimit() - 1);
    SignInThrottle.Attempt attempt = throttle.begin(address, p.tenantCode(), username);
    CompletableFuture<Void> changed;
    try {
      changed = hashing.submit(hasher -> {
        if (!hasher.verify(current, state.hash())) {
          throw new WrongCurrent(attempt.failed());
        }
        attempt.succeeded();
        boolean reused = policy.reuseLimit() > 0
            && (hasher.verify(next, state.hash()) || older.stream().anyMatch(old -> hasher.verify(next, old)));
        if (reused) {
          throw policy.refusal(SecurityPolicy.Rule.REUSED, "new");
        }
        return hasher.hash(next);
      }).thenAcceptAsync(hash -> store.setPassword(p.id(), hash, false, clock.instant(), kept(policy)), blocking);
    } catch (RuntimeException e) {
      attempt.abandoned();
      throw e;
    }
    return changed.whenComplete((done, e) -> attempt.abandoned());
  }

  /**
   * Refuses {@code password} for {@code username} of {@code tenantId} (null: HQ) when it breaks the policy in force
   * there: 422 with the rule's code, on {@code field}. Whoever chooses a password, the user or an administrator
   * creating or resetting an account, chooses under the same rules. Answers the policy.
   */
  public SecurityPolicy requireAllowed(Long tenantId, String username, String password, String field) {
    SecurityPolicy policy = policies.of(tenantId);
    policy.broken(username, password).ifPresent(rule -> {
      throw policy.refusal(rule, field);
    });
    return policy;
  }

  /** How many replaced hashes a user keeps: what the reuse limit compares, besides the current one. */
  private static int kept(SecurityPolicy policy) {
    return Math.max(0, policy.reuseLimit() - 1);
  }

  /** A password for an administrator to hand over, to be changed at its first sign-in. */
  public String generate() {
    String random = secrets.newToken().substring(0, GENERATED_CHARS);
    return String.join("-", random.substring(0, 4), random.substring(4, 8), random.substring(8, 12),
        random.substring(12, 16));
  }

  /** An administrator gave {@code user} a password ({@code hash}): they must change it at their next sign-in. */
  public void setByAdministrator(User user, String hash) {
    store.setPassword(user.id(), hash, true, clock.instant(), kept(policies.of(user.tenantId())));
  }

  /** {@code user} was created with a generated password: they must change it at their first sign-in. */
  public void generatedFor(long userId) {
    store.requireChange(userId);
  }
}
