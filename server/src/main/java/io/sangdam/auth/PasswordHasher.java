package io.sangdam.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 with a random 16-byte salt, stored as
 * {@code pbkdf2-sha256$iterations$salt$hash}, so the work factor can be raised later and old
 * hashes still verify. 600,000 iterations is OWASP's figure for this algorithm.
 */
public final class PasswordHasher {
  public static final int ITERATIONS = 600_000;
  private static final String PREFIX = "pbkdf2-sha256";
  private static final int KEY_BITS = 256;

  private final SecureRandom random;
  private final int iterations;
  /**
   * Verified against when the user does not exist, so that a wrong username takes as long as a wrong password:
   * a hash of this work factor matching no password. Its key is random, not derived: deriving one would spend
   * a whole verification's time (most of a second, cold) on every start for nothing.
   */
  private final String decoy;

  public PasswordHasher(SecureRandom random) {
    this(random, ITERATIONS);
  }

  /** {@code iterations}: the work factor of new hashes (and of the decoy); a stored hash keeps its own. */
  public PasswordHasher(SecureRandom random, int iterations) {
    this.random = random;
    this.iterations = iterations;
    byte[] key = new byte[KEY_BITS / 8];
    random.nextBytes(key);
    this.decoy = format(salt(), key);
  }

  public String hash(String password) {
    byte[] salt = salt();
    return format(salt, derive(password, salt, iterations));
  }

  private byte[] salt() {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return salt;
  }

  private String format(byte[] salt, byte[] key) {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
  }

  public boolean verify(String password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return false;
    }
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] expected = b64.decode(parts[3]);
    byte[] actual = derive(password, b64.decode(parts[2]), Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual);
  }

  /** The decoy: only its form (this work factor, a salt, a key of full length) makes it cost a verification. */
  String decoy() {
    return decoy;
  }

  /** Spends the same time as a real verification and fails. */
  public boolean verifyDecoy(String password) {
    verify(password, decoy);
    return false;
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, KEY_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
    } finally {
      spec.clearPassword();
    }
  }
}
