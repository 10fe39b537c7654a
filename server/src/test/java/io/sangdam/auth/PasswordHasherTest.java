package io.sangdam.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(new SecureRandom(), 1_000);

  @Test
  void aHashVerifiesItsPasswordAndNoOther() {
    String hash = hasher.hash("비밀번호-123");
    assertTrue(hasher.verify("비밀번호-123", hash));
    assertFalse(hasher.verify("비밀번호-124", hash));
    assertFalse(hasher.verify("", hash));
  }

  @Test
  void theSaltMakesEveryHashDifferentAndTheFormatCarriesTheWorkFactor() {
    String a = hasher.hash("same");
    String b = hasher.hash("same");
    assertNotEquals(a, b);
    assertTrue(a.startsWith("pbkdf2-sha256$1000$"), a);
  }

  @Test
  void hashesMadeWithOtherIterationsStillVerify() {
    String old = new PasswordHasher(new SecureRandom(), 2_000).hash("pw");
    assertTrue(hasher.verify("pw", old));
  }

  @Test
  void garbageNeverVerifies() {
    assertFalse(hasher.verify("pw", "plain-text"));
    assertFalse(hasher.verify("pw", "md5$1$2$3"));
    assertFalse(hasher.verifyDecoy("decoy-password"));
  }

  @Test
  void theDecoyIsShapedAsAHashOfThisWorkFactorSoCheckingItCostsAsMuch() {
    String real = hasher.hash("pw");
    String decoy = hasher.decoy();
    assertTrue(decoy.matches("pbkdf2-sha256\\$1000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), decoy);
    assertEquals(real.length(), decoy.length());
    assertNotEquals(decoy, new PasswordHasher(new SecureRandom(), 1_000).decoy(), "random, not a known hash");
  }

  @Test
  void theDecoysKeyIsDrawnNotDerivedSoMakingItCostsNothingAtStart() {
    SecureRandom sevens = new SecureRandom() {
      @Override
      public void nextBytes(byte[] bytes) {
        java.util.Arrays.fill(bytes, (byte) 7);
      }
    };
    String key = new PasswordHasher(sevens, 1_000).decoy().split("\\$")[3];
    byte[] drawn = new byte[32];
    java.util.Arrays.fill(drawn, (byte) 7);
    assertEquals(java.util.Base64.getEncoder().withoutPadding().encodeToString(drawn), key);
  }

  @Test
  void theDefaultWorkFactorIsTheOwaspFigure() {
    assertTrue(new PasswordHasher(new SecureRandom()).hash("pw").startsWith("pbkdf2-sha256$600000$"));
  }
}
