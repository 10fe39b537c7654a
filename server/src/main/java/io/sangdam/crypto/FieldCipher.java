package io.sangdam.crypto;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals personal fields with AES-256-GCM and opens them again. A sealed value is text, so it fits the columns it
 * replaces: {@code enc:v1:<key id>:<base64 of the 96-bit random nonce, the ciphertext and the 128-bit tag>}.
 * Values without the prefix were stored before encryption and are read as they are, until the start after the
 * upgrade has sealed them. A value that cannot be opened (its key is not in the key file, or it was changed) is
 * read as {@link #unreadable}, and logged once per key: one field shows the error, the request and everyone else's
 * data go on.
 *
 * <p>The blind index is an HMAC-SHA256, under a key of its own, of a value normalised for equality: it finds a
 * sealed value by the whole value only (no partial match), and reveals to someone holding the database only
 * which rows hold the same value.
 */
public final class FieldCipher {
  private static final Logger log = LoggerFactory.getLogger(FieldCipher.class);
  public static final String PREFIX = "enc:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final FieldKeys keys;
  private final SecureRandom random;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  public FieldCipher(FieldKeys keys, SecureRandom random) {
    this.keys = requireNonNull(keys, "keys");
    this.random = requireNonNull(random, "random");
  }

  /** {@code plain} sealed with the active key; null stays null (an absent value is no secret). */
  public String seal(String plain) {
    if (plain == null) {
      return null;
    }
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher aes = aes(Cipher.ENCRYPT_MODE, keys.active(), nonce);
      byte[] sealed = aes.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + keys.active() + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  /** The plain value of {@code stored}: opened when sealed, as it is when stored before encryption. */
  public String open(String stored) {
    try {
      return openOrThrow(stored);
    } catch (Unreadable e) {
      report(e);
      return unreadable(e.keyId);
    }
  }

  /**
   * Like {@link #open}, but a value that cannot be opened reads as {@code whenUnreadable}: for a field whose
   * readers expect a structure (JSON), not an error text.
   */
  public String openOr(String stored, String whenUnreadable) {
    try {
      return openOrThrow(stored);
    } catch (Unreadable e) {
      report(e);
      return whenUnreadable;
    }
  }

  private void report(Unreadable e) {
    if (reported.add(e.getMessage())) {
      log.error("a personal field cannot be read: {} (further ones of this kind are not logged)", e.getMessage());
    }
  }

  /** What a field that cannot be opened reads as: the error, never a part of the value. */
  public static String unreadable(String keyId) {
    return "[unreadable: sealed with key " + keyId + "]";
  }

  /** Like {@link #open}, but a value that cannot be opened is an {@link Unreadable} thrown. */
  public String openOrThrow(String stored) {
    if (stored == null || !stored.startsWith(PREFIX)) {
      return stored;
    }
    int colon = stored.indexOf(':', PREFIX.length());
    if (colon < 0) {
      throw new Unreadable("?", "a sealed value without its key id");
    }
    String keyId = stored.substring(PREFIX.length(), colon);
    if (keys.key(keyId) == null) {
      throw new Unreadable(keyId, "key " + keyId + " is not in the key file (it knows " + keys.ids() + ")");
    }
    try {
      byte[] in = Base64.getDecoder().decode(stored.substring(colon + 1));
      if (in.length < NONCE_BYTES + TAG_BITS / 8) {
        throw new Unreadable(keyId, "a value sealed with key " + keyId + " is too short to be one");
      }
      Cipher aes = aes(Cipher.DECRYPT_MODE, keyId, java.util.Arrays.copyOf(in, NONCE_BYTES));
      return new String(aes.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Unreadable(keyId, "a value sealed with key " + keyId + " is not base64");
    } catch (GeneralSecurityException e) {
      // The GCM tag did not match: changed in the database, or sealed under another key of the same id.
      throw new Unreadable(keyId, "a value sealed with key " + keyId + " fails its integrity check");
    }
  }

  /** Whether {@code stored} is sealed with the active key (nothing left to do for it on a rotation). */
  public boolean current(String stored) {
    return stored == null || stored.startsWith(PREFIX + keys.active() + ":");
  }

  /** Whether {@code stored} is sealed at all (with any key). */
  public static boolean sealed(String stored) {
    return stored == null || stored.startsWith(PREFIX);
  }

  public String activeKey() {
    return keys.active();
  }

  public Set<String> keyIds() {
    return keys.ids();
  }

  /**
   * The blind index of {@code value} for the look-ups of {@code purpose} (so equal values in two kinds of field
   * do not index alike); null for null.
   */
  public byte[] index(String purpose, String value) {
    if (value == null) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keys.indexKey(), "HmacSHA256"));
      mac.update(purpose.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
    }
  }

  /** The blind index of a customer's contact (a phone number or an e-mail address), normalised. */
  public byte[] contactIndex(String contact) {
    return index("contact", normalisedContact(contact));
  }

  /** The blind index of a customer's key on a channel (an SMS channel's: their phone number), as given. */
  public byte[] channelUserIndex(String user) {
    return index("channel-user", user);
  }

  /** The blind index as text, for a column that holds it as such. */
  public String indexText(String purpose, String value) {
    return value == null ? null : "idx:v1:" + HexFormat.of().formatHex(index(purpose, value));
  }

  /**
   * A contact normalised for the blind index: a phone number as its digits ({@code +82 10-1234-5678} and
   * {@code 010 1234 5678} alike as {@code 01012345678}), anything else (an e-mail address) trimmed and in lower case.
   */
  public static String normalisedContact(String contact) {
    if (contact == null) {
      return null;
    }
    String v = contact.strip();
    if (v.matches("\\+?[0-9 ().-]{7,}")) {
      String digits = v.replaceAll("[^0-9]", "");
      return v.startsWith("+82") ? "0" + digits.substring(2) : digits;
    }
    return v.toLowerCase(Locale.ROOT);
  }

  private Cipher aes(int mode, String keyId, byte[] nonce) throws GeneralSecurityException {
    Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(mode, new SecretKeySpec(keys.key(keyId), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    return aes;
  }

  /** A sealed value that cannot be opened: its key is unknown, or it is not what was sealed. */
  public static final class Unreadable extends RuntimeException {
    private final String keyId;

    Unreadable(String keyId, String message) {
      super(message);
      this.keyId = keyId;
    }
  }
}
