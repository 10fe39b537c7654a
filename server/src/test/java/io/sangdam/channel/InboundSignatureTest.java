package io.sangdam.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md's signature: HMAC-SHA256 of "<t>.<body>" under the secret, within five minutes of our clock. */
class InboundSignatureTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_764_669_600L);
  private static final InboundSignature SIGNATURE = new InboundSignature(Clock.fixed(NOW, ZoneOffset.UTC));
  /** printf '1764669600.{"user":"u","mid":"m","text":"hi"}' | openssl dgst -sha256 -hmac s3cret */
  private static final String OPENSSL = "2d974f948b564fa24c24528e1229146a87bfa95d707814426b2f11605ff1abe6";
  private static final byte[] BODY = "{\"user\":\"u\",\"mid\":\"m\",\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void theHeaderIsTheHexHmacOfTheTimeAndTheBody() {
    assertEquals("t=1764669600,v1=" + OPENSSL, InboundSignature.header("s3cret", 1764669600L, BODY));
    assertTrue(SIGNATURE.verifies("t=1764669600,v1=" + OPENSSL.toUpperCase(), BODY, "s3cret"), "hex in any case");
  }

  @Test
  void aSignatureWithinFiveMinutesVerifies() {
    long t = NOW.getEpochSecond();
    assertTrue(SIGNATURE.verifies(InboundSignature.header("s3cret", t - 300, BODY), BODY, "s3cret"));
    assertTrue(SIGNATURE.verifies(InboundSignature.header("s3cret", t + 300, BODY), BODY, "s3cret"));
    assertFalse(SIGNATURE.verifies(InboundSignature.header("s3cret", t - 301, BODY), BODY, "s3cret"));
    assertFalse(SIGNATURE.verifies(InboundSignature.header("s3cret", t + 301, BODY), BODY, "s3cret"));
  }

  @Test
  void anythingElseDoesNot() {
    long t = NOW.getEpochSecond();
    String good = InboundSignature.header("s3cret", t, BODY);
    assertFalse(SIGNATURE.verifies(null, BODY, "s3cret"));
    assertFalse(SIGNATURE.verifies("", BODY, "s3cret"));
    assertFalse(SIGNATURE.verifies(good, BODY, "other"));
    assertFalse(SIGNATURE.verifies(good, "{}".getBytes(StandardCharsets.UTF_8), "s3cret"));
    assertFalse(SIGNATURE.verifies(good.replace("t=" + t, "t=" + (t + 1)), BODY, "s3cret"));
    assertFalse(SIGNATURE.verifies("t=" + t, BODY, "s3cret"));
    assertFalse(SIGNATURE.verifies(good.substring(good.indexOf("v1=")), BODY, "s3cret"));
    assertFalse(SIGNATURE.verifies("t=" + t + ",v1=xyz", BODY, "s3cret"));
    assertFalse(SIGNATURE.verifies("t=abc," + good.substring(good.indexOf("v1=")), BODY, "s3cret"));
    assertFalse(SIGNATURE.verifies("t=-5," + good.substring(good.indexOf("v1=")), BODY, "s3cret"));
  }
}
