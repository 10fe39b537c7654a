package io.sangdam.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The widgets' rules without a database: colours and their contrast, consent versions, and the answers' checks. */
class WidgetsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-03T01:00:00Z");

  /** The store as a map, for the rules alone. */
  private static final class Kept implements WidgetStore {
    final Map<Long, WidgetSettings> settings = new HashMap<>();
    final Map<Long, PreChatAnswers> answers = new HashMap<>();

    @Override
    public Optional<WidgetSettings> settings(long centerId) {
      return Optional.ofNullable(settings.get(centerId));
    }

    @Override
    public void save(long tenantId, long centerId, WidgetSettings s) {
      settings.put(centerId, s);
    }

    @Override
    public Optional<Logo> logo(long centerId) {
      return Optional.empty();
    }

    @Override
    public void saveLogo(long centerId, Logo logo) {
      throw new AssertionError("no logo here");
    }

    @Override
    public void saveAnswers(long tenantId, long conversationId, PreChatAnswers a, Instant at) {
      answers.put(conversationId, a);
    }

    @Override
    public Optional<PreChatAnswers> answers(long conversationId) {
      return Optional.ofNullable(answers.get(conversationId));
    }
  }

  private final Kept store = new Kept();
  private final Widgets widgets = new Widgets(store, Clock.fixed(NOW, ZoneOffset.UTC));

  private static Fields body(String json) throws Exception {
    return new Fields(JSON.readTree(json));
  }

  @Test
  void contrastIsWcagsRatio() {
    assertEquals(21.0, Contrast.ratio("#000000", "#ffffff"), 0.01);
    assertEquals(1.0, Contrast.ratio("#1f5fbf", "#1f5fbf"), 0.01);
    assertTrue(Contrast.ratio("#1f5fbf", "#ffffff") >= Contrast.READABLE, "the default colour is readable");
    assertTrue(Contrast.ratio("#ffcc00", "#ffffff") < Contrast.READABLE);
  }

  @Test
  void aColourTooLightForWhiteTextIsRefusedAndNothingIsKept() {
    SangdamException e = assertThrows(SangdamException.class, () -> widgets.update(1, 7, body(
        "{\"brandColor\":\"#ffcc00\"}")));
    assertTrue(e.getMessage().contains("'brandColor' is too light"), e.getMessage());
    assertEquals(Optional.empty(), store.settings(7));
  }

  @Test
  void theConsentsVersionGoesUpOnlyWhenItsTextChanges() throws Exception {
    String form = "{\"form\":{\"enabled\":true,\"consentRequired\":true,\"consentText\":\"%s\"}}";
    assertEquals(1, widgets.update(1, 7, body(form.formatted("A"))).form().consentVersion());
    assertEquals(1, widgets.update(1, 7, body(form.formatted("A"))).form().consentVersion());
    assertEquals(2, widgets.update(1, 7, body(form.formatted("B"))).form().consentVersion());
    assertEquals(2, widgets.update(1, 7, body("{}")).form().consentVersion(), "turned off, the text stays");
    assertEquals(3, widgets.update(1, 7, body(form.formatted("C"))).form().consentVersion());
  }

  @Test
  void answersAreCheckedAgainstTheCentersFormAndTheConsentIsStamped() throws Exception {
    widgets.update(1, 7, body("{\"form\":{\"enabled\":true,\"name\":\"REQUIRED\",\"contact\":\"OPTIONAL\","
        + "\"inquiryTypes\":[\"결제\"],\"consentRequired\":true,\"consentText\":\"동의 안내\"}}"));
    JsonNode good = JSON.readTree("{\"name\":\" 홍길동 \",\"contact\":\"hong@example.com\",\"inquiryType\":\"결제\","
        + "\"consent\":true,\"consentVersion\":1}");
    PreChatAnswers a = widgets.check(7, false, good).orElseThrow();
    assertEquals(new PreChatAnswers("홍길동", "hong@example.com", "결제", 1, "동의 안내", NOW), a);
    assertEquals(Optional.empty(), widgets.check(7, true, null), "a verified customer is not asked");
    assertEquals(Optional.empty(), widgets.check(8, false, null), "a center without a form asks nothing");
    for (String bad : List.of("{}", "{\"name\":\"홍길동\",\"inquiryType\":\"결제\",\"consent\":false,\"consentVersion\":1}",
        "{\"name\":\"홍길동\",\"contact\":\"12\",\"inquiryType\":\"결제\",\"consent\":true,\"consentVersion\":1}",
        "{\"name\":\"홍\\n길동\",\"inquiryType\":\"결제\",\"consent\":true,\"consentVersion\":1}",
        "{\"name\":[\"홍길동\"],\"inquiryType\":\"결제\",\"consent\":true,\"consentVersion\":1}")) {
      assertThrows(SangdamException.class, () -> widgets.check(7, false, JSON.readTree(bad)), bad);
    }
    assertThrows(SangdamException.class, () -> widgets.check(8, false, good), "a form for another center");
  }
}
