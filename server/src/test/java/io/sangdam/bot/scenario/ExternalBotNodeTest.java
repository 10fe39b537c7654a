package io.sangdam.bot.scenario;

import static io.sangdam.bot.scenario.ScenarioValidationTest.parse;
import static io.sangdam.bot.scenario.ScenarioValidationTest.scenario;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An externalBot node in the engine: silent until the customer writes, then whatever the external bot answered (its
 * messages, then wait, hand-off or end, its fields joining the collected ones) or, when it failed, the failure exit.
 */
class ExternalBotNodeTest {
  private final ScenarioEngine engine = new ScenarioEngine();
  private final BotContext context = new BotContext(Instant.parse("2026-12-02T01:00:00Z"), (center, at) -> true,
      question -> new FaqMatcher.Nothing());
  private final Scenario scenario = parse(scenario("phone",
      "{'id':'phone','type':'form','next':'ai','fields':[{'name':'phone','type':'phone','label':'휴대폰',"
          + "'prompt':'번호를 알려 주세요.','personal':true}]},"
          + "{'id':'ai','type':'externalBot','endpoint':'company-ai','next':'agent','failure':'sorry'},"
          + "{'id':'sorry','type':'message','text':'지금은 AI 상담이 어려워요.','next':'agent'},"
          + "{'id':'agent','type':'handoff','queue':'general'}"));

  /** The state at the external bot, after the form collected a phone number. */
  private BotState atBot() {
    BotState atPhone = assertInstanceOf(Outcome.Waiting.class, engine.start(scenario, context).outcome()).state();
    Step step = engine.reply(scenario, atPhone, Reply.text("010-1234-5678"), context);
    assertEquals(List.of(), step.messages());
    BotState at = assertInstanceOf(Outcome.Waiting.class, step.outcome()).state();
    assertEquals("ai", at.node());
    return at;
  }

  private static ExternalAnswer.Answered answer(ExternalAnswer.Action action, String queue, String center,
      CollectedField... fields) {
    return new ExternalAnswer.Answered(List.of(new BotMessage("안녕하세요, AI 상담입니다.",
        List.of(new Button("card", "카드 분실")))), action, queue, center, List.of(fields));
  }

  @Test
  void waitSaysTheMessagesAndStaysWithTheExternalBot() {
    Step step = engine.answered(scenario, atBot(), answer(ExternalAnswer.Action.WAIT, null, null), context);
    assertEquals(List.of(new BotMessage("안녕하세요, AI 상담입니다.", List.of(new Button("card", "카드 분실")))),
        step.messages());
    BotState after = assertInstanceOf(Outcome.Waiting.class, step.outcome()).state();
    assertEquals("ai", after.node());
    assertEquals(List.of("phone"), after.fields().stream().map(CollectedField::name).toList());
  }

  @Test
  void aHandOffToAQueueKeepsTheCollectedFieldsAndAddsTheBotsReplacingByName() {
    CollectedField intent = new CollectedField("intent", "문의 유형", FieldType.TEXT, "카드 분실", false);
    CollectedField phone = new CollectedField("phone", "확인된 번호", FieldType.TEXT, "본인 확인됨", false);
    Step step = engine.answered(scenario, atBot(), answer(ExternalAnswer.Action.HANDOFF, "card", "busan", intent,
        phone), context);
    assertEquals(new Outcome.HandOff("card", "busan", List.of(intent, phone)), step.outcome());
  }

  @Test
  void aHandOffNamingNoQueueGoesOnToTheNodesNext() {
    Step step = engine.answered(scenario, atBot(), answer(ExternalAnswer.Action.HANDOFF, null, null), context);
    Outcome.HandOff handOff = assertInstanceOf(Outcome.HandOff.class, step.outcome());
    assertEquals("general", handOff.queue());
    assertEquals(1, step.messages().size());
  }

  @Test
  void endEndsTheConversation() {
    Step step = engine.answered(scenario, atBot(), answer(ExternalAnswer.Action.END, null, null), context);
    assertEquals("externalBot", assertInstanceOf(Outcome.Ended.class, step.outcome()).reason());
  }

  @Test
  void aFailureTakesTheFailureExit() {
    Step step = engine.answered(scenario, atBot(), new ExternalAnswer.Failed("timeout"), context);
    assertEquals(List.of("지금은 AI 상담이 어려워요."), step.messages().stream().map(BotMessage::text).toList());
    assertEquals("general", assertInstanceOf(Outcome.HandOff.class, step.outcome()).queue());
  }

  @Test
  void aReplyAtTheExternalBotIsTheCallersToSendAndAnAnswerElsewhereIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> engine.reply(scenario, atBot(), Reply.text("카드"), context));
    BotState atPhone = assertInstanceOf(Outcome.Waiting.class, engine.start(scenario, context).outcome()).state();
    assertThrows(IllegalArgumentException.class, () -> engine.answered(scenario, atPhone,
        new ExternalAnswer.Failed("x"), context));
  }
}
