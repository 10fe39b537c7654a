package io.sangdam.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random bearer secrets (login and visitor tokens) and the hash under which they are stored. */
public final class Secrets {
  private final SecureRandom random;

  public Secrets(SecureRandom random) {
    this.random = random;
  }

  /** 32 random bytes, URL-safe base64 without padding (43 characters). */
  public String newToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Whether {@code token} has the shape {@link #newToken()} gives every token: a check that costs
   * nothing and needs no database, to turn away a request that cannot be anyone's before its body.
   */
  public static boolean looksLikeToken(String token) {
    return token.length() == 43 && token.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
        || c >= '0' && c <= '9' || c == '-' || c == '_');
  }

  /** SHA-256 is enough here: the secrets are random, not passwords, so there is nothing to guess slowly. */
  public static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
