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
 * Methods block on the database.
 */
public final class Authenticator {
  /** How long a resolved token is trusted without looking at the database (bounds revocation on other nodes). */
  private static final Duration CACHE_TTL = Duration.ofSeconds(30);
  /** Longer than a look-up can take (its query's timeout) plus {@link #CACHE_TTL}. */
  private static final Duration REVOCATION_KEPT = Duration.ofMinutes(10);

  private final AuthStore store;
  private final Directory directory;
  private final Secrets secrets;
  private final Clock clock;
  private final Duration tokenTtl;
  private final Cache<String, Session> sessions;
  /** Counts revocations of all a user's tokens; a cached session remembers the count when it was read. */
  private final AtomicLong revocations = new AtomicLong();
  /** The count at each user's last revocation, kept as long as a session read before it could be cached. */
  private final Cache<Long, Long> revokedAt;

  public Authenticator(AuthStore store, Directory directory, Secrets secrets, Clock clock, Ticker ticker,
      Duration tokenTtl) {
    this.store = requireNonNull(store, "store");
    this.directory = requireNonNull(directory, "directory");
    this.secrets = requireNonNull(secrets, "secrets");
    this.clock = requireNonNull(clock, "clock");
    this.tokenTtl = requireNonNull(tokenTtl, "tokenTtl");
    this.sessions = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(CACHE_TTL).ticker(ticker).build();
    this.revokedAt = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(REVOCATION_KEPT)
        .ticker(ticker).build();
  }

  /** A token with the principal it stands for. */
  public record Login(String token, Principal principal) {}

  /** A valid token's principal and expiry, as read when {@link #revocations} stood at {@code readAt}. */
  private record Session(Principal principal, Instant expiresAt, long readAt) {}

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
    SangdamException denied = denied();
    if (candidate.userId() == null || !candidate.enabled()) {
      throw denied;
    }
    Principal principal = principal(candidate.userId()).orElseThrow(() -> denied);
    String token = secrets.newToken();
    Instant now = clock.instant();
    Instant expiresAt = now.plus(tokenTtl);
    store.insertToken(Secrets.hash(token), principal.id(), now, expiresAt);
    sessions.put(key(token), new Session(principal, expiresAt, revocations.get()));
    return new Login(token, principal);
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
        ? new Session(s.principal().with(user), s.expiresAt(), s.readAt())
        : s);
  }

  /** The principal of a valid token, or {@code unauthorized}. */
  public Principal authenticate(String token) {
    return valid(token).principal();
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
    if (session != null && readBeforeRevocation(session)) {
      sessions.invalidate(key);
      session = sessions.get(key, k -> load(token));
    }
    if (session == null || !clock.instant().isBefore(session.expiresAt())) {
      throw invalid;
    }
    return session;
  }

  private boolean readBeforeRevocation(Session session) {
    Long revoked = revokedAt.getIfPresent(session.principal().id());
    return revoked != null && session.readAt() < revoked;
  }

  private Session load(String token) {
    long readAt = revocations.get();
    return store.token(Secrets.hash(token))
        .filter(t -> !t.revoked())
        .flatMap(t -> principal(t.userId()).map(p -> new Session(p, t.expiresAt(), readAt)))
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
    return Optional.of(new Principal(u, tenantCode, centerCode, store.customRole(u.id()).orElse(null)));
  }

  private static String key(String token) {
    return HexFormat.of().formatHex(Secrets.hash(token));
  }
}
