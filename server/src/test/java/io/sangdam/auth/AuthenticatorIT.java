package io.sangdam.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sangdam.changes.LocalChanges;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewUser;
import io.sangdam.directory.Role;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcAuditLog;
import io.sangdam.store.JdbcAuthStore;
import io.sangdam.store.JdbcPasswordStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Login tokens and visitor tokens against a real database, with time under the test's control. */
@ExtendWith(TestDatabase.class)
class AuthenticatorIT {
  private final ManualTime clock = new ManualTime(Instant.parse("2026-11-24T00:00:00Z"));
  /** Never used: these limits never slow a sign-in down. */
  private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
  /**
   * The test's database connections, closed after it: left open, their health probes outlived the test and
   * logged the database as down once the run's MariaDB stopped.
   */
  private final java.util.List<Database> opened = new java.util.ArrayList<>();

  @AfterEach
  void stopDelaysAndConnections() {
    delays.shutdownNow();
    opened.forEach(Database::close);
  }

  private record Fixture(Authenticator auth, SignIn signIn, Visitors visitors, Tenant tenant) {
    /** A login from one address, checked on the calling thread. */
    Authenticator.Login login(Optional<String> tenant, String username, String password) {
      try {
        return signIn.logIn(tenant, username, password, "192.0.2.1").join();
      } catch (CompletionException e) {
        throw (RuntimeException) e.getCause();
      }
    }
  }

  private Fixture fixture(TestDatabase.Url url) {
    return fixture(url, store -> store, () -> 0L);
  }

  /** With the token store seen through {@code wrap}, and the token cache's time from {@code ticker}. */
  private Fixture fixture(TestDatabase.Url url, UnaryOperator<AuthStore> wrap, Ticker ticker) {
    Database db = new Database(url.url(), url.user(), url.password(), 2);
    opened.add(db);
    db.migrate();
    PasswordHasher passwords = new PasswordHasher(new SecureRandom(), 1_000);
    Secrets secrets = new Secrets(new SecureRandom());
    Directory directory = new Directory(new JdbcDirectoryStore(db, clock, new io.sangdam.protocol.Json()), new LocalChanges());
    Tenant tenant = directory.createTenant("acme", "Acme");
    directory.createUser(new NewUser(tenant.id(), null, "boss", "Boss", Role.TENANT_ADMIN,
        passwords.hash("boss-pass-1"), null, Set.of()));
    JdbcAuthStore store = new JdbcAuthStore(db);
    SecurityPolicies policies = new SecurityPolicies(new JdbcPasswordStore(db), new JdbcAuditLog(db, clock), clock,
        ticker);
    Authenticator auth = new Authenticator(wrap.apply(store), directory, secrets, clock, ticker,
        Duration.ofMinutes(30), policies);
    SignInThrottle throttle = new SignInThrottle(new SignInThrottle.Limits(Duration.ofMinutes(15), 100, 100, 100,
        Duration.ZERO), () -> 0L, 1_000);
    SignIn signIn = new SignIn(auth, new HashingPool(passwords, Runnable::run), throttle, Runnable::run, delays,
        userId -> false, CompanyDirectory.NONE);
    return new Fixture(auth, signIn, new Visitors(store, secrets, clock), tenant);
  }

  private static ErrorCode refused(Runnable r) {
    return assertThrows(SangdamException.class, r::run).code();
  }

  @Test
  void aTokenWorksUntilItExpires(TestDatabase.Url url) {
    Fixture f = fixture(url);
    String token = f.login(Optional.of("acme"), "boss", "boss-pass-1").token();
    assertEquals("boss", f.auth().authenticate(token).user().username());
    clock.advance(Duration.ofMinutes(29));
    assertEquals("acme", f.auth().authenticate(token).tenantCode());
    clock.advance(Duration.ofMinutes(1));
    assertEquals(ErrorCode.UNAUTHORIZED, refused(() -> f.auth().authenticate(token)));
  }

  @Test
  void aRevokedTokenIsRefusedAtOnce(TestDatabase.Url url) {
    Fixture f = fixture(url);
    String token = f.login(Optional.of("acme"), "boss", "boss-pass-1").token();
    f.auth().logout(token);
    assertEquals(ErrorCode.UNAUTHORIZED, refused(() -> f.auth().authenticate(token)));
  }

  @Test
  void aSignOutByAnAdministratorWinsOverALookUpOfTheTokenAlreadyUnderWay(TestDatabase.Url url) throws Exception {
    AtomicBoolean pauseNextRead = new AtomicBoolean();
    CountDownLatch read = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    UnaryOperator<AuthStore> pausing = store -> (AuthStore) Proxy.newProxyInstance(AuthStore.class.getClassLoader(),
        new Class<?>[] {AuthStore.class}, (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (method.getName().equals("token") && pauseNextRead.getAndSet(false)) {
            read.countDown();
            goOn.await(30, TimeUnit.SECONDS);
          }
          return result;
        });
    AtomicLong nanos = new AtomicLong();
    Fixture f = fixture(url, pausing, nanos::get);
    Authenticator.Login login = f.login(Optional.of("acme"), "boss", "boss-pass-1");
    nanos.addAndGet(Duration.ofMinutes(1).toNanos()); // the cached sign-in is gone: the next use reads the token
    pauseNextRead.set(true);
    ExecutorService lookUp = Executors.newSingleThreadExecutor();
    try {
      Future<Principal> underWay = lookUp.submit(() -> f.auth().authenticate(login.token()));
      read.await(30, TimeUnit.SECONDS);
      f.auth().revokeAll(login.principal().id()); // after the look-up read the token, before it is cached
      goOn.countDown();
      try {
        underWay.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException refusedAlready) {
        // The look-up may itself see the sign-out as it ends; what matters is what it leaves cached.
      }
    } finally {
      lookUp.shutdownNow();
    }
    assertEquals(ErrorCode.UNAUTHORIZED, refused(() -> f.auth().authenticate(login.token())),
        "what the look-up cached after the sign-out does not count");
  }

  @Test
  void wrongCredentialsAndForgedTokensAreUnauthorized(TestDatabase.Url url) {
    Fixture f = fixture(url);
    assertEquals(ErrorCode.UNAUTHORIZED, refused(() -> f.login(Optional.of("acme"), "boss", "wrong")));
    assertEquals(ErrorCode.UNAUTHORIZED, refused(() -> f.login(Optional.empty(), "boss", "boss-pass-1")));
    assertEquals(ErrorCode.UNAUTHORIZED, refused(() -> f.login(Optional.of("nope"), "boss", "boss-pass-1")));
    assertEquals(ErrorCode.UNAUTHORIZED, refused(() -> f.auth().authenticate("forged")));
    assertEquals(ErrorCode.UNAUTHORIZED, refused(() -> f.auth().authenticate("")));
  }

  @Test
  void aVisitorTokenBringsBackTheSameCustomerAndAnUnknownOneMakesANewCustomer(TestDatabase.Url url) {
    Fixture f = fixture(url);
    Visitors.Identified first = f.visitors().identify(f.tenant().id(), Optional.empty(), Optional.of("홍길동"), Optional.empty(), Optional.empty());
    Visitors.Identified again = f.visitors().identify(f.tenant().id(), Optional.of(first.token()), Optional.empty(), Optional.empty(), Optional.empty());
    assertEquals(first.visitor().customerId(), again.visitor().customerId());
    assertEquals("홍길동", again.visitor().name());
    Visitors.Identified stranger = f.visitors().identify(f.tenant().id(), Optional.of("made-up"), Optional.empty(), Optional.empty(), Optional.empty());
    assertNotEquals(first.visitor().customerId(), stranger.visitor().customerId());
    assertNotEquals("made-up", stranger.token());
  }
}
