package io.sangdam.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the server signs what it POSTs to a company: its webhooks, and its external bots' messages, so a company
 * verifies both alike. {@code X-Sangdam-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}.
 */
public final class WebhookSignature {
  public static final String HEADER = "X-Sangdam-Signature";

  private WebhookSignature() {}

  /** The header's value for {@code body} signed with {@code secret} at {@code timestamp} (unix seconds). */
  public static String header(String secret, long timestamp, byte[] body) {
    return "t=" + timestamp + ",v1=" + sign(secret, timestamp, body);
  }

  /** HMAC-SHA256 of "{timestamp}.{body}" with the secret, in hex: what a receiver recomputes. */
  public static String sign(String secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
