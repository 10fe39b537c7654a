package io.sangdam.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void tokensAreRandomUrlSafeAndStoredAsTheirSha256() {
    Secrets secrets = new Secrets(new SecureRandom());
    String a = secrets.newToken();
    String b = secrets.newToken();
    assertNotEquals(a, b);
    assertEquals(43, a.length());
    assertTrue(a.matches("[A-Za-z0-9_-]+"), a);
    assertEquals(32, Secrets.hash(a).length);
    assertArrayEquals(Secrets.hash(a), Secrets.hash(a));
  }
}
