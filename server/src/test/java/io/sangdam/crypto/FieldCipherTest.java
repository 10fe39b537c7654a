package io.sangdam.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.sangdam.testing.CapturedLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldCipherTest {
  private final SecureRandom random = new SecureRandom();
  private final FieldKeys keys = FieldKeys.generate(random);
  private final FieldCipher cipher = new FieldCipher(keys, random);

  @Test
  void aSealedValueOpensToWhatWasSealedAndShowsNoneOfIt() {
    for (String plain : new String[] {"010-1234-5678", "kim@example.com", "", "김상담 고객님 메모 🙂", "x".repeat(5000)}) {
      String sealed = cipher.seal(plain);
      assertTrue(sealed.startsWith("enc:v1:k1:"), sealed);
      assertFalse(plain.length() > 3 && sealed.contains(plain), "no plaintext in " + sealed);
      assertEquals(plain, cipher.open(sealed));
    }
    assertNotEquals(cipher.seal("010-1234-5678"), cipher.seal("010-1234-5678"), "a random nonce each time");
    assertNull(cipher.seal(null));
    assertNull(cipher.open(null));
  }

  @Test
  void aValueStoredBeforeEncryptionReadsAsItIs() {
    assertEquals("010-1234-5678", cipher.open("010-1234-5678"));
    assertFalse(FieldCipher.sealed("010-1234-5678"));
    assertFalse(cipher.current("010-1234-5678"));
  }

  @Test
  void aChangedValueIsDetectedNotReadAsGarbage() {
    String sealed = cipher.seal("010-1234-5678");
    byte[] raw = Base64.getDecoder().decode(sealed.substring("enc:v1:k1:".length()));
    raw[raw.length - 20] ^= 1;
    String tampered = "enc:v1:k1:" + Base64.getEncoder().encodeToString(raw);
    FieldCipher.Unreadable e = assertThrows(FieldCipher.Unreadable.class, () -> cipher.openOrThrow(tampered));
    assertTrue(e.getMessage().contains("integrity"), e.getMessage());
    assertEquals(FieldCipher.unreadable("k1"), cipher.open(tampered));
    assertThrows(FieldCipher.Unreadable.class, () -> cipher.openOrThrow("enc:v1:k1:AAAA"), "too short");
    assertThrows(FieldCipher.Unreadable.class, () -> cipher.openOrThrow("enc:v1:k1:not base64!"));
    assertThrows(FieldCipher.Unreadable.class, () -> cipher.openOrThrow("enc:v1:no-key-id"));
  }

  @Test
  void anotherKeyUnderTheSameIdIsRefused() {
    FieldCipher other = new FieldCipher(FieldKeys.generate(random), random);
    assertThrows(FieldCipher.Unreadable.class, () -> other.openOrThrow(cipher.seal("kim@example.com")));
  }

  @Test
  void anUnknownKeyIsOneClearErrorForTheFieldLoggedOnce() {
    FieldCipher rotated = new FieldCipher(keys.withNewActiveKey("k2", random), random);
    String sealedWithK2 = rotated.seal("kim@example.com");
    try (CapturedLog log = CapturedLog.of(FieldCipher.class)) {
      assertEquals("[unreadable: sealed with key k2]", cipher.open(sealedWithK2));
      assertEquals("[unreadable: sealed with key k2]", cipher.open(rotated.seal("lee@example.com")));
      assertEquals("[]", cipher.openOr(sealedWithK2, "[]"));
      assertEquals(1, log.at(Level.ERROR).size(), "logged once: " + log.at(Level.ERROR));
      assertTrue(log.at(Level.ERROR).get(0).contains("key k2 is not in the key file"), log.at(Level.ERROR).get(0));
    }
  }

  @Test
  void aRotationSealsWithTheNewKeyAndStillOpensTheOld() {
    String old = cipher.seal("010-1234-5678");
    FieldCipher rotated = new FieldCipher(keys.withNewActiveKey("k2", random), random);
    assertEquals("010-1234-5678", rotated.open(old));
    assertFalse(rotated.current(old));
    String resealed = rotated.seal(rotated.open(old));
    assertTrue(resealed.startsWith("enc:v1:k2:"));
    assertTrue(rotated.current(resealed));
    assertArrayEquals(cipher.contactIndex("010-1234-5678"), rotated.contactIndex("010-1234-5678"),
        "the index key is not rotated: look-ups keep finding old rows");
    assertThrows(IllegalArgumentException.class, () -> keys.withNewActiveKey("k1", random), "an id taken");
  }

  @Test
  void theBlindIndexFindsAContactHoweverItIsWrittenAndNothingElse() {
    byte[] phone = cipher.contactIndex("010-1234-5678");
    assertArrayEquals(phone, cipher.contactIndex("01012345678"));
    assertArrayEquals(phone, cipher.contactIndex(" 010 1234 5678 "));
    assertArrayEquals(phone, cipher.contactIndex("+82 10-1234-5678"));
    assertFalse(java.util.Arrays.equals(phone, cipher.contactIndex("010-1234-5679")));
    assertFalse(java.util.Arrays.equals(phone, cipher.channelUserIndex("01012345678")), "another purpose");
    assertArrayEquals(cipher.contactIndex("Kim@Example.com"), cipher.contactIndex("kim@example.com"));
    assertFalse(java.util.Arrays.equals(phone,
        new FieldCipher(FieldKeys.generate(random), random).contactIndex("010-1234-5678")), "keyed");
    assertNull(cipher.contactIndex(null));
  }

  @Test
  void theKeyFileIsWrittenForItsOwnerOnlyAndReadBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("conf").resolve("field-keys");
    FieldKeys two = keys.withNewActiveKey("k2", random);
    FieldKeyFile.write(file, two);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    FieldKeys read = FieldKeyFile.read(file).orElseThrow();
    assertEquals("k2", read.active());
    String sealed = new FieldCipher(two, random).seal("kim@example.com");
    assertEquals("kim@example.com", new FieldCipher(read, random).open(sealed));
    assertTrue(FieldKeyFile.read(dir.resolve("none")).isEmpty());
  }

  @Test
  void aBrokenKeyFileIsRefusedSayingWhatIsWrong(@TempDir Path dir) throws Exception {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    assertRefused(dir, Map.of("key.k1", key, "index", key), "no 'active' entry");
    assertRefused(dir, Map.of("active", "k2", "key.k1", key, "index", key), "the active key 'k2' is not among");
    assertRefused(dir, Map.of("active", "k1", "key.k1", "c2hvcnQ=", "index", key), "key k1 has 5 bytes, not 32");
    assertRefused(dir, Map.of("active", "k1", "key.k1", "%%%", "index", key), "'key.k1' is not base64");
    assertRefused(dir, Map.of("active", "k1", "key.k1", key), "no 'index' entry");
    assertRefused(dir, Map.of("active", "K 1", "key.K 1", key, "index", key), "is not 1 to 8 lower-case");
    assertRefused(dir, Map.of("active", "k1", "key.k1", key, "index", key, "keys.k2", key), "unknown entry 'keys.k2'");
    assertRefused(dir, Map.of("index", key), "no key.<id> entry");
  }

  private static void assertRefused(Path dir, Map<String, String> entries, String expected) throws Exception {
    Properties p = new Properties();
    p.putAll(entries);
    Path file = dir.resolve("keys-" + System.nanoTime());
    try (var out = Files.newBufferedWriter(file)) {
      p.store(out, null);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> FieldKeyFile.read(file));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
