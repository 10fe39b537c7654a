package io.sangdam.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sangdam.protocol.Json;
import io.sangdam.webhook.WebhookUrls;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The outbox's waits between attempts, and the custom channel's body as PROTOCOL.md gives it. */
class OutboundBackoffTest {
  @Test
  void waitsDoubleFromASecondUpToFiveMinutes() {
    assertEquals(Duration.ofSeconds(1), OutboundDeliveries.backoff(1));
    assertEquals(Duration.ofSeconds(2), OutboundDeliveries.backoff(2));
    assertEquals(Duration.ofSeconds(4), OutboundDeliveries.backoff(3));
    assertEquals(Duration.ofSeconds(256), OutboundDeliveries.backoff(9));
    assertEquals(Duration.ofMinutes(5), OutboundDeliveries.backoff(10));
    assertEquals(Duration.ofMinutes(5), OutboundDeliveries.backoff(1_000), "no overflow after many attempts");
  }

  @Test
  void theCustomChannelsBodiesAreThoseOfTheContract() {
    try (CustomChannelDelivery custom = new CustomChannelDelivery(WebhookUrls.system(false), new Json(),
        Clock.systemUTC())) {
      Instant at = Instant.parse("2026-01-05T01:02:03.456Z");
      OutboundItem message = new OutboundItem(1, 42, 5, OutboundItem.Type.MESSAGE, "kakao-1", "agent", "김상담",
          "확인해 드리겠습니다", at, Optional.empty(), Optional.empty(), 1);
      assertEquals("{\"type\":\"message\",\"user\":\"kakao-1\",\"conversation\":42,\"seq\":5,\"from\":\"agent\","
          + "\"name\":\"김상담\",\"text\":\"확인해 드리겠습니다\",\"at\":\"2026-01-05T01:02:03.456Z\"}",
          new String(custom.body(message), StandardCharsets.UTF_8));
      OutboundItem closed = new OutboundItem(2, 42, 7, OutboundItem.Type.CLOSED, "kakao-1", "system", "", "", at,
          Optional.of("agent"), Optional.empty(), 1);
      assertEquals("{\"type\":\"closed\",\"user\":\"kakao-1\",\"conversation\":42,\"seq\":7,\"from\":\"system\","
          + "\"name\":\"\",\"text\":\"\",\"at\":\"2026-01-05T01:02:03.456Z\",\"reason\":\"agent\"}",
          new String(custom.body(closed), StandardCharsets.UTF_8));
    }
  }
}
