package io.sangdam.auth;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues and revokes login tokens and resolves them to principals ({@link SignIn} checks the
 * password first). Tokens are random, stored only
 * as their SHA-256, and cached briefly so that a busy console does not hit the database per call.
 * A token lives as long as its user's {@link SecurityPolicy} says (renewable), and one unused for
 * longer than the policy's idle limit is revoked at its next use; its last use is written at most
 * every {@link #USE_WRITTEN_EVERY}, so that every node sees it within that. Methods block on the database.
 */
public final class Authenticator {
  /** How long a resolved token is trusted without looking at the database (bounds revocation on other nodes). */
  private static final Duration CACHE_TTL = Duration.ofSeconds(30);
  /** Longer than a look-up can take (its query's timeout) plus {@link #CACHE_TTL}. */
  private static final Duration REVOCATION_KEPT = Duration.ofMinutes(10);
  /** How stale a token's last use in the database may be: the idle limit is whole minutes, at least 2. */
  static final Duration USE_WRITTEN_EVERY = Duration.ofMinutes(1);

  private final AuthStore store;
  private final Directory directory;
  private final Secrets secrets;
  private final Clock clock;
  private final Duration tokenTtl;
  private final SecurityPolicies policies;
  private final Cache<String, Session> sessions;
  /** Counts revocations of all a user's tokens; a cached session remembers the count when it was read. */
  private final AtomicLong revocations = new AtomicLong();
  /** The count at each user's last revocation, kept as long as a session read before it could be cached. */
  private final Cache<Long, Long> revokedAt;

  public Authenticator(AuthStore store, Directory directory, Secrets secrets, Clock clock, Ticker ticker,
      Duration tokenTtl, SecurityPolicies policies) {
    this.store = requireNonNull(store, "store");
    this.directory = requireNonNull(directory, "directory");
    this.secrets = requireNonNull(secrets, "secrets");
    this.clock = requireNonNull(clock, "clock");
    this.tokenTtl = requireNonNull(tokenTtl, "tokenTtl");
    this.policies = requireNonNull(policies, "policies");
    this.sessions = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(CACHE_TTL).ticker(ticker).build();
    this.revokedAt = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(REVOCATION_KEPT)
        .ticker(ticker).build();
  }

  /**
   * A token with the principal it stands for, until {@code expiresAt}; {@code passwordChangeOnly}: it may
   * only change its user's password (which was generated, reset or has expired).
   */
  public record Login(String token, Principal principal, Instant expiresAt, boolean passwordChangeOnly) {}

  /** A valid token's principal and expiry, as read when {@link #revocations} stood at {@code readAt}. */
  private record Session(Principal principal, Instant expiresAt, long readAt, boolean passwordChangeOnly, Use use) {
    Session with(Principal p, Instant expires) {
      return new Session(p, expires, readAt, passwordChangeOnly, use);
    }
  }

  /** When a token was last used here, and when that was last written to the database. */
  private static final class Use {
    volatile Instant last;
    volatile Instant written;

    Use(Instant last) {
      this.last = last;
      this.written = last;
    }
  }

  /** What a request may do with a valid token: act as {@code principal}, or only change their password. */
  public record TokenUse(Principal principal, boolean passwordChangeOnly) {}

  /**
   * Who a login names, read before its password is checked: the user's id and stored hash, or none
   * (an unknown user or tenant; the check then spends as long on a decoy and fails). {@code local}: a
   * user with a password here (a break-glass account where the company's directory signs in the others).
   */
  public record Candidate(Long userId, String passwordHash, boolean enabled, boolean local) {
    public static final Candidate NOBODY = new Candidate(null, null, false, false);
  }

  public Candidate candidate(Optional<String> tenantCode, String username) {
    Long tenantId = null;
    if (tenantCode.isPresent()) {
      Optional<Tenant> tenant = directory.tenantByCode(tenantCode.get()).filter(t -> t.status().equals("ACTIVE"));
      if (tenant.isEmpty()) {
        return Candidate.NOBODY;
      }
      tenantId = tenant.get().id();
    }
    return store.credentials(tenantId, username)
        .map(c -> new Candidate(c.userId(), c.passwordHash(), c.enabled(), c.local() && c.passwordHash() != null))
        .orElse(Candidate.NOBODY);
  }

  /** A new token for a candidate whose password was right; {@code unauthorized} if they may not sign in. */
  public Login issue(Candidate candidate) {
    return issue(candidate, false);
  }

  /**
   * A new token for a candidate whose password was right; {@code passwordChangeOnly}: it may only change
   * the password (see {@link #use}). {@code unauthorized} if they may not sign in.
   */
  public Login issue(Candidate candidate, boolean passwordChangeOnly) {
    SangdamException denied = denied();
    if (candidate.userId() == null || !candidate.enabled()) {
      throw denied;
    }
    Principal principal = principal(candidate.userId()).orElseThrow(() -> denied);
    String token = secrets.newToken();
    Instant now = clock.instant();
    Instant expiresAt = now.plus(policies.of(principal.tenantId()).tokenLifetime(tokenTtl));
    store.insertToken(Secrets.hash(token), principal.id(), now, expiresAt, passwordChangeOnly);
    sessions.put(key(token), new Session(principal, expiresAt, revocations.get(), passwordChangeOnly, new Use(now)));
    return new Login(token, principal, expiresAt, passwordChangeOnly);
  }

  /**
   * Extends a valid token (not one that may only change a password: {@code password_change_required})
   * to its full lifetime from now, counting as a use; returns its new expiry.
   */
  public Instant renew(String token) {
    Session session = valid(token);
    if (session.passwordChangeOnly()) {
      throw changeRequired();
    }
    Instant now = clock.instant();
    Instant expiresAt = now.plus(policies.of(session.principal().tenantId()).tokenLifetime(tokenTtl));
    store.renewToken(Secrets.hash(token), expiresAt, now);
    session.use().last = now;
    session.use().written = now;
    sessions.put(key(token), session.with(session.principal(), expiresAt));
    return expiresAt;
  }

  private static SangdamException changeRequired() {
    return new SangdamException(ErrorCode.PASSWORD_CHANGE_REQUIRED,
        "this sign-in may only change its password: POST /api/me/password");
  }

  /** The one answer to every failed login, whatever failed: it tells an attacker nothing. */
  public static SangdamException denied() {
    return new SangdamException(ErrorCode.UNAUTHORIZED, "invalid username or password");
  }

  public void logout(String token) {
    store.revokeToken(Secrets.hash(token), clock.instant());
    sessions.invalidate(key(token));
  }

  /**
   * Every token of the user stops working at once on this node; on others when they learn it
   * ({@link #revokedElsewhere}), or within the cache's 30 s.
   */
  public void revokeAll(long userId) {
    store.revokeTokensOf(userId, clock.instant());
    revokedElsewhere(userId);
  }

  /** Another node revoked every token of the user: the ones cached here stop working. */
  public void revokedElsewhere(long userId) {
    // A look-up already under way may have read a token before this revocation and cache it after the
    // removal below; the count it read then is older than this one, so valid() refuses and reloads it.
    revokedAt.put(userId, revocations.incrementAndGet());
    sessions.asMap().values().removeIf(s -> s.principal().id() == userId);
  }

  /** Another node logged out the token of this {@link #tokenKey}: cached here, it stops working. */
  public void loggedOutElsewhere(String tokenKey) {
    sessions.invalidate(tokenKey);
  }

  /** Changes made elsewhere may have been missed: every token is read again at its next use. */
  public void forgetAll() {
    sessions.invalidateAll();
  }

  /** How a token is known between nodes, and in the database: its SHA-256, in hex. */
  public static String tokenKey(String token) {
    return key(token);
  }

  /** Cached sign-ins of the user see their changed queues, capacity and name at once. */
  public void refresh(User user) {
    sessions.asMap().replaceAll((key, s) -> s.principal().id() == user.id()
        ? s.with(s.principal().with(user), s.expiresAt())
        : s);
  }

  /**
   * The principal of a valid token, or {@code unauthorized}; a token that may only change its password
   * is refused {@code password_change_required}. Counts as a use.
   */
  public Principal authenticate(String token) {
    TokenUse use = use(token);
    if (use.passwordChangeOnly()) {
      throw changeRequired();
    }
    return use.principal();
  }

  /** A valid token's user and whether it may only change their password, or {@code unauthorized}. Counts as a use. */
  public TokenUse use(String token) {
    Session session = valid(token);
    Instant now = clock.instant();
    session.use().last = now;
    if (!now.isBefore(session.use().written.plus(USE_WRITTEN_EVERY))) {
      session.use().written = now;
      store.touchToken(Secrets.hash(token), now);
    }
    return new TokenUse(session.principal(), session.passwordChangeOnly());
  }

  /** When a valid token stops working, or {@code unauthorized}: a console signed in with it closes then. */
  public Instant expiresAt(String token) {
    return valid(token).expiresAt();
  }

  private Session valid(String token) {
    SangdamException invalid = new SangdamException(ErrorCode.UNAUTHORIZED, "invalid or expired token");
    if (token == null || token.isEmpty() || token.length() > 200) {
      throw invalid;
    }
    String key = key(token);
    Session session = sessions.get(key, k -> load(token));
    if (session != null && (readBeforeRevocation(session) || !current(session))) {
      // Another node may have renewed or used it since it was cached here: only the database's word refuses it.
      sessions.invalidate(key);
      session = sessions.get(key, k -> load(token));
    }
    if (session == null || !clock.instant().isBefore(session.expiresAt())) {
      throw invalid;
    }
    Duration idleLimit = policies.of(session.principal().tenantId()).idleLimit();
    if (!idleLimit.isZero() && !clock.instant().isBefore(session.use().last.plus(idleLimit))) {
      logout(token);
      throw new SangdamException(ErrorCode.UNAUTHORIZED, "signed out after " + idleLimit.toMinutes()
          + " minutes without use");
    }
    return session;
  }

  /** Whether a cached session is neither expired nor idle past its policy's limit. */
  private boolean current(Session session) {
    Instant now = clock.instant();
    Duration idleLimit = policies.of(session.principal().tenantId()).idleLimit();
    return now.isBefore(session.expiresAt())
        && (idleLimit.isZero() || now.isBefore(session.use().last.plus(idleLimit)));
  }

  private boolean readBeforeRevocation(Session session) {
    Long revoked = revokedAt.getIfPresent(session.principal().id());
    return revoked != null && session.readAt() < revoked;
  }

  private Session load(String token) {
    long readAt = revocations.get();
    return store.token(Secrets.hash(token))
        .filter(t -> !t.revoked())
        .flatMap(t -> principal(t.userId()).map(p -> new Session(p, t.expiresAt(), readAt, t.passwordChangeOnly(),
            new Use(t.lastUsedAt()))))
        .orElse(null);
  }

  private Optional<Principal> principal(long userId) {
    Optional<User> user = directory.user(userId).filter(User::enabled);
    if (user.isEmpty()) {
      return Optional.empty();
    }
    User u = user.get();
    Optional<Tenant> tenant = u.tenantId() == null ? Optional.empty() : directory.tenant(u.tenantId());
    if (tenant.isPresent() && !tenant.get().status().equals("ACTIVE")) {
      return Optional.empty();
    }
    String tenantCode = tenant.map(Tenant::code).orElse(null);
    String centerCode = u.centerId() == null ? null : directory.center(u.centerId()).map(Center::code).orElse(null);
    // A custom role counts only on the base it was made for: a user moved to another role since (by an admin, or
    // by the company directory at sign-in) holds that role's permissions, not the custom role's.
    return Optional.of(new Principal(u, tenantCode, centerCode, store.customRole(u.id())
        .filter(r -> r.base() == u.role()).orElse(null)));
  }

  private static String key(String token) {
    return HexFormat.of().formatHex(Secrets.hash(token));
  }
}
