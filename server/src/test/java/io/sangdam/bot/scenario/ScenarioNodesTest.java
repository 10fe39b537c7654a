package io.sangdam.bot.scenario;

import static io.sangdam.bot.scenario.ScenarioValidationTest.parse;
import static io.sangdam.bot.scenario.ScenarioValidationTest.scenario;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The nodes the demo scenario does not use: a FAQ node's three exits, optional fields, another center's hours. */
class ScenarioNodesTest {
  private static final Instant NOW = Instant.parse("2026-12-02T01:00:00Z");
  private static final FaqMatcher.Entry HOURS = new FaqMatcher.Entry("h", "상담 시간이 언제인가요?", "평일 9시부터 6시까지예요.");
  private static final FaqMatcher.Entry FEE = new FaqMatcher.Entry("f", "연회비가 얼마인가요?", "연회비는 1만 원이에요.");
  private static final FaqMatcher FAQ = question -> question.contains("시간") ? new FaqMatcher.Confident(HOURS)
      : question.contains("비") ? new FaqMatcher.Unsure(List.of(FEE, HOURS))
      : question.contains("빈") ? new FaqMatcher.Unsure(List.of())
      : new FaqMatcher.Nothing();

  private final ScenarioEngine engine = new ScenarioEngine();
  private final BotContext context = new BotContext(NOW, (center, at) -> center.equals(Optional.of("busan")), FAQ);

  /** Asks a question; a confident answer ends 'answered', unsure ones go to an agent, nothing to 'unknown'. */
  private final Scenario faqScenario = parse(scenario("ask",
      "{'id':'ask','type':'faq','text':'궁금하신 점을 입력해 주세요.','confident':'bye','unsure':'agent',"
          + "'nothing':'nothing'},"
          + "{'id':'agent','type':'handoff','queue':'cards','center':'busan'},"
          + "{'id':'nothing','type':'end','text':'답을 찾지 못했어요.','reason':'unknown'}"));

  private Step ask(Step before, Reply reply) {
    return engine.reply(faqScenario, assertInstanceOf(Outcome.Waiting.class, before.outcome()).state(), reply,
        context);
  }

  private static String reason(Step step) {
    return assertInstanceOf(Outcome.Ended.class, step.outcome()).reason();
  }

  @Test
  void aFaqNodeTakesItsConfidentUnsureAndNothingExits() {
    Step start = engine.start(faqScenario, context);
    assertEquals(List.of(BotMessage.text("궁금하신 점을 입력해 주세요.")), start.messages());
    Step confident = ask(start, Reply.text("상담 시간 알려주세요"));
    assertEquals(List.of(HOURS.answer(), "안녕히 가세요."), confident.messages().stream().map(BotMessage::text).toList());
    assertEquals("answered", reason(confident));
    assertEquals("unknown", reason(ask(start, Reply.text("날씨 어때요"))));
    assertEquals("unknown", reason(ask(start, Reply.text("빈 목록"))), "unsure with no entries is nothing");

    Step unsure = ask(start, Reply.text("연회비"));
    assertEquals(List.of("_faq1", "_faq2", "_none"),
        unsure.messages().get(0).buttons().stream().map(Button::id).toList());
    assertEquals("answered", reason(ask(unsure, new Reply(null, "_faq1"))));
    assertEquals(FEE.answer(), ask(unsure, new Reply(null, "_faq1")).messages().get(0).text());
    assertEquals(new Outcome.HandOff("cards", "busan", List.of()), ask(unsure, new Reply(null, "_none")).outcome());
  }

  @Test
  void unsureQuestionsAskedAgainCountAsRetriesThenGoToTheUnsureExit() {
    Step step = ask(engine.start(faqScenario, context), Reply.text("연회비"));
    for (int retry = 1; retry <= faqScenario.maxRetries(); retry++) {
      step = ask(step, Reply.text("연회비 말이에요"));
      assertEquals(retry, assertInstanceOf(Outcome.Waiting.class, step.outcome()).state().retries());
    }
    assertInstanceOf(Outcome.HandOff.class, ask(step, Reply.text("연회비라니까요")).outcome());
  }

  @Test
  void anOptionalFieldOffersSkipAndAnExternalBotThatFailsTakesItsFailureExit() {
    Scenario scenario = parse(scenario("form",
        "{'id':'form','type':'form','next':'ext','fields':["
            + "{'name':'email','type':'email','label':'이메일','prompt':'이메일이 있으면 알려 주세요.','required':false},"
            + "{'name':'count','type':'number','label':'수량','prompt':'몇 개인가요?','min':1,'max':99}]},"
            + "{'id':'ext','type':'externalBot','endpoint':'company-ai','next':'bye','failure':'hours'},"
            + "{'id':'hours','type':'hours','center':'busan','open':'agent','closed':'bye'},"
            + "{'id':'agent','type':'handoff','text':'부산 센터로 연결해 드릴게요.','queue':'general','center':'busan'}"));
    Step start = engine.start(scenario, context);
    assertEquals(List.of(new Button("_skip", "건너뛰기")), start.messages().get(0).buttons());
    BotState atEmail = assertInstanceOf(Outcome.Waiting.class, start.outcome()).state();
    Step count = engine.reply(scenario, atEmail, new Reply(null, "_skip"), context);
    assertEquals(List.of(new BotMessage("몇 개인가요?", List.of())), count.messages());
    BotState atCount = assertInstanceOf(Outcome.Waiting.class, count.outcome()).state();
    Step atExt = engine.reply(scenario, atCount, Reply.text("３"), context);
    assertEquals(List.of(), atExt.messages(), "the external bot's node is silent until the customer writes");
    BotState waiting = assertInstanceOf(Outcome.Waiting.class, atExt.outcome()).state();
    assertEquals("ext", waiting.node());
    Step done = engine.answered(scenario, waiting, new ExternalAnswer.Failed("down"), context);
    assertEquals(new Outcome.HandOff("general", "busan",
        List.of(new CollectedField("count", "수량", FieldType.NUMBER, "3", false))), done.outcome());
    assertEquals(List.of("부산 센터로 연결해 드릴게요."), done.messages().stream().map(BotMessage::text).toList());
  }
}
