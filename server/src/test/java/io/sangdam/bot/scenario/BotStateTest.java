package io.sangdam.bot.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sangdam.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bot state survives being stored as JSON text and read back, and a damaged one is refused naming its field. */
class BotStateTest {
  private static final Json JSON = new Json();
  private static final FaqMatcher.Entry ENTRY =
      new FaqMatcher.Entry("faq-9", "환불은 언제 되나요? 😀", "3영업일 안에 돼요.\n\"감사합니다\"");

  private static BotState throughText(BotState state) {
    String stored = new String(JSON.write(state.toJson()), StandardCharsets.UTF_8);
    return BotState.fromJson(JSON.readObject(stored));
  }

  @Test
  void aStateMidFormRoundTripsAndTheConversationCarriesOnTheSame() {
    Scenario demo = ScenarioValidationTest.demo();
    ScenarioEngine engine = new ScenarioEngine();
    BotContext open = new BotContext(Instant.parse("2026-12-02T01:00:00Z"), (c, at) -> true, FaqMatcher.NONE);
    Step form = engine.reply(demo, state(engine.start(demo, open)), new Reply(null, "agent"), open);
    Step phone = engine.reply(demo, state(form), Reply.text("홍길동"), open);
    BotState wrongOnce = state(engine.reply(demo, state(phone), Reply.text("010"), open));
    BotState read = throughText(wrongOnce);
    assertEquals(wrongOnce, read);
    assertEquals(engine.reply(demo, wrongOnce, Reply.text("010-1111-2222"), open),
        engine.reply(demo, read, Reply.text("010-1111-2222"), open));
  }

  @Test
  void suggestionsAndEveryFieldTypeRoundTrip() {
    BotState state = new BotState(Long.MAX_VALUE, 3, "menu", 2, 1,
        List.of(new CollectedField("n", "성함", FieldType.NAME, "홍길동", true),
            new CollectedField("d", "날짜", FieldType.DATE, "2026-12-02", false),
            new CollectedField("o", "주문번호", FieldType.ORDER_NUMBER, "ORD-1", false)),
        List.of(ENTRY));
    assertEquals(state, throughText(state));
    assertEquals("orderNumber", state.toJson().get("fields").get(2).get("type").textValue());
  }

  @Test
  void anAnswerAwaitingARatingRoundTripsAndAStateKeptBeforeItAwaitsNone() {
    BotState awaiting = new BotState(1, 1, "menu", 0, 0, List.of(), List.of(), "42");
    assertEquals(awaiting, throughText(awaiting));
    BotState none = new BotState(1, 1, "menu", 0, 0, List.of(), List.of());
    assertEquals(false, none.toJson().has("answered"), "as states were kept before ratings");
    assertEquals(none, throughText(none));
    assertRefused("bot state field 'answered' must be a string", new String(JSON.write(awaiting.toJson()),
        StandardCharsets.UTF_8).replace("\"answered\":\"42\"", "\"answered\":42"));
  }

  @Test
  void aDamagedStateIsRefusedNamingTheField() {
    String good = new String(JSON.write(new BotState(1, 1, "menu", 0, 0,
        List.of(new CollectedField("n", "성함", FieldType.NAME, "홍길동", true)), List.of()).toJson()),
        StandardCharsets.UTF_8);
    assertRefused("bot state field 'node' must be a string", good.replace("\"node\":\"menu\"", "\"node\":null"));
    assertRefused("bot state field 'version' must be a whole number, 0 or more",
        good.replace("\"version\":1", "\"version\":\"1\""));
    assertRefused("bot state field 'retries' must be a whole number, 0 or more",
        good.replace("\"retries\":0", "\"retries\":-1"));
    assertRefused("bot state field 'fields' must be an array", good.replace("\"fields\":[", "\"fields\":null,\"x\":["));
    assertRefused("bot state field 'fields[0].type' is 'zip', no field type",
        good.replace("\"type\":\"name\"", "\"type\":\"zip\""));
    assertRefused("bot state field 'fields[0].value' must be a string",
        good.replace("\"value\":\"홍길동\"", "\"value\":null"));
    assertRefused("bot state field 'fields[0]' must be an object", good.replace("\"fields\":[{", "\"fields\":[null,{"));
    assertRefused("bot state field 'fields[0].personal' must be true or false",
        good.replace("\"personal\":true", "\"personal\":\"true\""));
    assertRefused("bot state field 'suggestions' must be an array", good.replace(",\"suggestions\":[]", ""));
    assertRefused("bot state has version 0, field 0, retries 0", good.replace("\"version\":1", "\"version\":0"));
    assertEquals("bot state must be a JSON object",
        assertThrows(IllegalArgumentException.class, () -> BotState.fromJson(null)).getMessage());
  }

  private static void assertRefused(String message, String json) {
    assertEquals(message, assertThrows(IllegalArgumentException.class,
        () -> BotState.fromJson(JSON.readObject(json))).getMessage(), json);
  }

  private static BotState state(Step step) {
    return assertInstanceOf(Outcome.Waiting.class, step.outcome()).state();
  }
}
