package io.sangdam.channel;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Sangdam-Signature} header of PROTOCOL.md: {@code t=<unix seconds>,v1=<hex
 * HMAC-SHA256(key = the secret's UTF-8 bytes, message = "<t>.<body>")>}. Valid only within
 * {@link #TOLERANCE} of this server's clock, so a captured request cannot be replayed later.
 */
public final class InboundSignature {
  public static final String HEADER = "X-Sangdam-Signature";
  static final Duration TOLERANCE = Duration.ofMinutes(5);

  private final Clock clock;

  public InboundSignature(Clock clock) {
    this.clock = clock;
  }

  /** Whether {@code header} (null when absent) signs {@code body} with {@code secret} and is recent enough. */
  public boolean verifies(String header, byte[] body, String secret) {
    if (header == null || header.length() > 1_000) {
      return false;
    }
    String t = null;
    byte[] given = null;
    for (String part : header.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2) {
        return false;
      }
      if (kv[0].equals("t")) {
        t = kv[1];
      } else if (kv[0].equals("v1") && given == null) {
        try {
          given = HexFormat.of().parseHex(kv[1].toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          return false;
        }
      }
    }
    if (t == null || given == null || !t.matches("[0-9]{1,12}")) {
      return false;
    }
    long seconds = Long.parseLong(t);
    if (Math.abs(clock.instant().getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
      return false;
    }
    return MessageDigest.isEqual(sign(secret, t, body), given);
  }

  /** The header's value for {@code body} signed at {@code unixSeconds}: what a channel (or a test) sends. */
  public static String header(String secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(sign(secret, Long.toString(unixSeconds), body));
  }

  private static byte[] sign(String secret, String t, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
