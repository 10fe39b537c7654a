package io.sangdam.bot.scenario;

import static io.sangdam.bot.scenario.ScenarioValidationTest.parse;
import static io.sangdam.bot.scenario.ScenarioValidationTest.scenario;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The callback node: it offers the center's slots as buttons, asks the mobile number (unless a form collected one),
 * re-asks what does not read and falls back after the retries, offers anew a slot gone meanwhile, and ends with the
 * request to store; without slots it says so and takes the fallback.
 */
class CallbackNodeTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final Instant NINE = Instant.parse("2026-12-08T00:00:00Z");
  private final ScenarioEngine engine = new ScenarioEngine();

  /** Ten slots from tomorrow 09:00, or none; of the conversation's center only (busan has none). */
  private static BotContext context(Instant now, int count) {
    List<CallbackTimes.Slot> slots = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Instant at = NINE.plus(Duration.ofMinutes(30L * i));
      if (at.isAfter(now)) {
        slots.add(new CallbackTimes.Slot(at, "12월 8일 (화) " + (9 + i / 2) + ":" + (i % 2 == 0 ? "00" : "30")));
      }
    }
    return new BotContext(now, (center, at) -> false, FaqMatcher.NONE,
        center -> center.isEmpty() ? slots : List.of());
  }

  /** A callback, and an agent for whoever the bot cannot help. */
  private final Scenario scenario = parse("{'name':'콜백','start':'call','fallback':{'text':'잘 모르겠어요.',"
      + "'next':'agent'},'nodes':[{'id':'call','type':'callback','queue':'card',"
      + "'text':'예약되었어요. 그 시간에 전화드릴게요.'},{'id':'agent','type':'handoff','queue':'card'}]}");

  private Step reply(Step before, Reply reply, BotContext context) {
    return engine.reply(scenario, assertInstanceOf(Outcome.Waiting.class, before.outcome()).state(), reply, context);
  }

  @Test
  void offersTheSlotsThenAsksTheNumberAndLeavesTheRequest() {
    BotContext context = context(NOW, 10);
    Step start = engine.start(scenario, context);
    BotMessage ask = start.messages().get(0);
    assertEquals(ScenarioEngine.ASK, ask.text());
    assertEquals(ScenarioEngine.MAX_SLOTS, ask.buttons().size(), "no more than a KakaoTalk message carries");
    assertEquals(new Button("_slot" + NINE.getEpochSecond() / 60, "12월 8일 (화) 9:00"), ask.buttons().get(0));

    Step phone = reply(start, new Reply("12월 8일 (화) 9:30", ask.buttons().get(1).id()), context);
    assertEquals(List.of(BotMessage.text(ScenarioEngine.PHONE_PROMPT)), phone.messages());
    Step wrong = reply(phone, Reply.text("제 번호는 비밀이에요"), context);
    assertEquals(FieldType.PHONE.defaultMessage(), wrong.messages().get(0).text());
    Step done = reply(wrong, Reply.text("＋82 10 9876 5432"), context);
    Outcome.CallbackLeft left = assertInstanceOf(Outcome.CallbackLeft.class, done.outcome());
    assertEquals(NINE.plus(Duration.ofMinutes(30)), left.slot());
    assertEquals("010-9876-5432", left.phone());
    assertEquals("card", left.queue());
    assertEquals(List.of(BotMessage.text("예약되었어요. 그 시간에 전화드릴게요.")), done.messages());
  }

  @Test
  void aNumberAFormCollectedIsNotAskedAgain() {
    Scenario withForm = parse(scenario("form",
        "{'id':'form','type':'form','next':'call','fields':[{'name':'phone','type':'phone','label':'연락처',"
            + "'prompt':'연락처를 알려 주세요.'}]},{'id':'call','type':'callback','queue':'card'}"));
    BotContext context = context(NOW, 4);
    Step start = engine.start(withForm, context);
    Step slots = engine.reply(withForm, assertInstanceOf(Outcome.Waiting.class, start.outcome()).state(),
        Reply.text("01012345678"), context);
    String first = slots.messages().get(0).buttons().get(0).id();
    Step done = engine.reply(withForm, assertInstanceOf(Outcome.Waiting.class, slots.outcome()).state(),
        new Reply(null, first), context);
    assertEquals("010-1234-5678", assertInstanceOf(Outcome.CallbackLeft.class, done.outcome()).phone());
  }

  @Test
  void textOrAStaleButtonIsNoSlotAndAfterTheRetriesTheFallbackTakesOver() {
    BotContext context = context(NOW, 10);
    Step step = engine.start(scenario, context);
    for (int retry = 1; retry <= scenario.maxRetries(); retry++) {
      step = reply(step, retry == 1 ? Reply.text("아무 때나요") : new Reply(null, "_slot123"), context);
      assertEquals(retry, assertInstanceOf(Outcome.Waiting.class, step.outcome()).state().retries());
      assertEquals(ScenarioEngine.MAX_SLOTS, step.messages().get(0).buttons().size(), "offered again");
    }
    Step fallback = reply(step, Reply.text("몰라요"), context);
    assertEquals("잘 모르겠어요.", fallback.messages().get(0).text());
    assertInstanceOf(Outcome.HandOff.class, fallback.outcome());
  }

  @Test
  void aNumberThatNeverReadsEndsInTheFallbackWithoutTheSlot() {
    BotContext context = context(NOW, 10);
    Step start = engine.start(scenario, context);
    Step step = reply(start, new Reply(null, start.messages().get(0).buttons().get(0).id()), context);
    for (int retry = 1; retry <= scenario.maxRetries(); retry++) {
      step = reply(step, Reply.text("전화는 싫어요"), context);
      assertEquals(retry, assertInstanceOf(Outcome.Waiting.class, step.outcome()).state().retries());
    }
    Outcome.HandOff handOff = assertInstanceOf(Outcome.HandOff.class, reply(step, Reply.text("몰라요"), context)
        .outcome());
    assertEquals(List.of(), handOff.fields(), "the agent is not shown the slot of a request never left");
  }

  @Test
  void aSlotGoneWhileTheNumberWasTypedIsOfferedAnew() {
    Step start = engine.start(scenario, context(NOW, 10));
    Step phone = reply(start, new Reply(null, start.messages().get(0).buttons().get(0).id()), context(NOW, 10));
    BotContext later = context(NINE.plusSeconds(60), 10);
    Step again = reply(phone, Reply.text("010-1111-2222"), later);
    assertEquals(ScenarioEngine.SLOT_GONE, again.messages().get(0).text());
    Outcome.Waiting waiting = assertInstanceOf(Outcome.Waiting.class, again.outcome());
    assertEquals(0, waiting.state().field());
    String next = again.messages().get(1).buttons().get(0).id();
    assertEquals("_slot" + NINE.plus(Duration.ofMinutes(30)).getEpochSecond() / 60, next);
    // The number typed is kept: choosing a slot now leaves the request at once.
    Step done = reply(again, new Reply(null, next), later);
    assertEquals("010-1111-2222", assertInstanceOf(Outcome.CallbackLeft.class, done.outcome()).phone());
  }

  @Test
  void withNoSlotToOfferItSaysSoAndTakesTheFallback() {
    Step start = engine.start(scenario, context(NOW, 0));
    assertEquals(ScenarioEngine.NO_SLOTS, start.messages().get(0).text());
    assertInstanceOf(Outcome.HandOff.class, start.outcome());
    Scenario loop = parse(("{'name':'콜백','start':'call','fallback':{'text':'다시 해 볼게요.','next':'call'},"
        + "'nodes':[{'id':'call','type':'callback','queue':'card'}]}"));
    assertEquals("no_callback_slot", assertInstanceOf(Outcome.Ended.class,
        engine.start(loop, context(NOW, 0)).outcome()).reason(), "a fallback back to itself ends instead");
  }

  @Test
  void theNodeIsReadAndCheckedAsTheOthers() {
    InvalidScenarioException unknown = assertThrows(InvalidScenarioException.class, () -> parse(scenario("call",
        "{'id':'call','type':'callback','queue':'card','nxet':'bye'}")));
    assertTrue(unknown.getMessage().contains("nxet"), unknown.getMessage());
    InvalidScenarioException noQueue = assertThrows(InvalidScenarioException.class, () -> parse(scenario("call",
        "{'id':'call','type':'callback'}")));
    assertTrue(noQueue.getMessage().contains("queue"), noQueue.getMessage());
    Node.Callback node = assertInstanceOf(Node.Callback.class, parse(scenario("call",
        "{'id':'call','type':'callback','queue':'card','center':'busan','ask':'언제 전화드릴까요?'}")).node("call"));
    assertEquals(new Node.Callback("call", "언제 전화드릴까요?", null, "card", "busan"), node);
    Targets seoulOnly = new Targets() {
      @Override
      public boolean hasCenter(String center) {
        return center.equals("seoul");
      }

      @Override
      public boolean hasQueue(Optional<String> center, String queue) {
        return queue.equals("card");
      }
    };
    assertEquals(List.of(new ScenarioProblem("call", "center", "names no center 'busan' of this tenant")),
        parse(scenario("call", "{'id':'call','type':'callback','queue':'card','center':'busan'}"))
            .problemsWith(seoulOnly));
    assertEquals(List.of(new ScenarioProblem("call", "queue", "names no queue 'loan' of this center")),
        parse(scenario("call", "{'id':'call','type':'callback','queue':'loan'}")).problemsWith(seoulOnly));
  }
}
