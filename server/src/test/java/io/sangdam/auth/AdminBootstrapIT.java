package io.sangdam.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.changes.LocalChanges;
import io.sangdam.directory.Directory;
import io.sangdam.protocol.Json;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcAuthStore;
import io.sangdam.store.JdbcDirectoryStore;
import io.sangdam.store.JdbcPasswordStore;
import io.sangdam.testing.ManualTime;
import io.sangdam.testing.TestDatabase;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The first HQ user's generated password must be changed at its first sign-in; a configured one need not. */
@ExtendWith(TestDatabase.class)
class AdminBootstrapIT {
  private final ManualTime clock = new ManualTime(Instant.parse("2026-12-01T00:00:00Z"));

  private boolean changeRequiredOfAdmin(TestDatabase.Url url, Optional<String> configured) {
    try (Database db = new Database(url.url(), url.user(), url.password(), 2)) {
      db.migrate();
      Directory directory = new Directory(new JdbcDirectoryStore(db, clock, new Json()), new LocalChanges());
      JdbcPasswordStore passwords = new JdbcPasswordStore(db);
      Optional<String> generated = new AdminBootstrap(directory, new PasswordHasher(new SecureRandom(), 1_000),
          new Secrets(new SecureRandom()), passwords, "sangdam reset-password admin").ensureAdmin(configured);
      assertEquals(configured.isEmpty(), generated.isPresent());
      long adminId = new JdbcAuthStore(db).credentials(null, "admin").orElseThrow().userId();
      return passwords.state(adminId).orElseThrow().changeRequired();
    }
  }

  @Test
  void aGeneratedPasswordMustBeChanged(TestDatabase.Url url) {
    assertTrue(changeRequiredOfAdmin(url, Optional.empty()));
  }

  @Test
  void aConfiguredPasswordNeedNotBe(TestDatabase.Url url) {
    assertFalse(changeRequiredOfAdmin(url, Optional.of("configured-pass-1")));
  }
}
