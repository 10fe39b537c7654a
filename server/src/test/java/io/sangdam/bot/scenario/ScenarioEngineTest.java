package io.sangdam.bot.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.directory.BusinessHours;
import io.sangdam.protocol.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo tenant's scenario walked as customers would walk it, in and out of hours, with buttons, free text and
 * wrong answers. The FAQ is a small table standing in for the tenant's: the engine's side of the interface is what is
 * tested here, the matching itself is io.sangdam.bot.faq's.
 */
class ScenarioEngineTest {
  private static final Json JSON = new Json();
  private static final BusinessHours SEOUL = BusinessHours.parse(JSON.readObject("""
      {"timezone":"Asia/Seoul","weekly":{"MON":[["09:00","18:00"]],"TUE":[["09:00","18:00"]],
       "WED":[["09:00","18:00"]],"THU":[["09:00","18:00"]],"FRI":[["09:00","18:00"]]}}"""));
  /** Wednesday 2 December 2026, 10:00 and 20:00 in Seoul. */
  private static final Instant OPEN = Instant.parse("2026-12-02T01:00:00Z");
  private static final Instant CLOSED = Instant.parse("2026-12-02T11:00:00Z");

  private static final FaqMatcher.Entry LIMIT = new FaqMatcher.Entry("faq-1", "카드 한도는 어떻게 올리나요?",
      "앱의 [카드 관리 > 한도 조정]에서 올리실 수 있어요.");
  private static final FaqMatcher.Entry PAY_DAY = new FaqMatcher.Entry("faq-2", "결제일을 바꿀 수 있나요?",
      "결제일은 매월 1일부터 25일 사이에서 바꾸실 수 있어요.");
  private static final FaqMatcher.Entry PAY_LATE = new FaqMatcher.Entry("faq-3", "결제가 늦으면 어떻게 되나요?",
      "연체 이자가 붙으니 가능한 한 빨리 결제해 주세요.");
  private static final FaqMatcher.Entry PAY_CANCEL = new FaqMatcher.Entry("faq-4", "결제를 취소하고 싶어요",
      "결제 취소는 가맹점에 요청해 주세요.");
  private static final FaqMatcher.Entry PAY_RECEIPT = new FaqMatcher.Entry("faq-5", "결제 영수증을 다시 받고 싶어요",
      "앱의 [이용 내역]에서 영수증을 다시 받으실 수 있어요.");

  private final Scenario demo = ScenarioValidationTest.demo();
  private final ScenarioEngine engine = new ScenarioEngine();
  /** Every question the FAQ was asked, in order. */
  private final List<String> asked = new ArrayList<>();
  private final FaqMatcher faq = question -> {
    asked.add(question);
    if (question.contains("한도")) {
      return new FaqMatcher.Confident(LIMIT);
    }
    if (question.contains("결제")) {
      return new FaqMatcher.Unsure(List.of(PAY_DAY, PAY_LATE, PAY_CANCEL, PAY_RECEIPT));
    }
    return new FaqMatcher.Nothing();
  };

  private BotContext at(Instant now) {
    return new BotContext(now, (center, when) -> center.isEmpty() && SEOUL.isOpen(when), faq);
  }

  private static List<String> texts(Step step) {
    return step.messages().stream().map(BotMessage::text).toList();
  }

  private static List<String> buttonIds(BotMessage message) {
    return message.buttons().stream().map(Button::id).toList();
  }

  private static BotState waiting(Step step) {
    return assertInstanceOf(Outcome.Waiting.class, step.outcome()).state();
  }

  private Step reply(Step before, Reply reply, Instant now) {
    return engine.reply(demo, waiting(before), reply, at(now));
  }

  private Step button(Step before, String id, Instant now) {
    return reply(before, new Reply(null, id), now);
  }

  private Step text(Step before, String text, Instant now) {
    return reply(before, Reply.text(text), now);
  }

  @Test
  void theGreetingOffersTheMainMenu() {
    Step start = engine.start(demo, at(OPEN));
    assertEquals(List.of("안녕하세요, 상담 챗봇입니다. 아래 버튼을 누르시거나 궁금하신 내용을 직접 입력해 주세요.",
        "무엇을 도와드릴까요?"), texts(start));
    BotMessage menu = start.messages().get(1);
    assertEquals(List.of(new Button("lost-card", "카드 분실"), new Button("delivery", "배송 조회"),
        new Button("agent", "상담원 연결")), menu.buttons());
    assertEquals(List.of(), start.messages().get(0).buttons());
    BotState state = waiting(start);
    assertEquals(new BotState(1, 1, "main-menu", 0, 0, List.of(), List.of()), state);
  }

  @Test
  void inHoursTheCustomerGivesNameAndPhoneAndIsHandedToAnAgentWithThem() {
    Step form = button(engine.start(demo, at(OPEN)), "agent", OPEN);
    assertEquals(List.of("상담원 연결 전에 몇 가지만 여쭤볼게요.", "성함을 알려 주세요."), texts(form));
    Step phone = text(form, "홍길동", OPEN);
    assertEquals(List.of("연락 가능한 휴대폰 번호를 알려 주세요."), texts(phone));
    Step wrong = text(phone, "010-12-34", OPEN);
    assertEquals(List.of("휴대폰 번호를 010-1234-5678 형식으로 다시 입력해 주세요."), texts(wrong));
    assertEquals(1, waiting(wrong).retries());
    Step handedOff = text(wrong, "01012345678", OPEN);
    assertEquals(List.of("상담원에게 연결해 드릴게요. 잠시만 기다려 주세요."), texts(handedOff));
    Outcome.HandOff handoff = assertInstanceOf(Outcome.HandOff.class, handedOff.outcome());
    assertEquals("general", handoff.queue());
    assertEquals(null, handoff.center());
    assertEquals(List.of(new CollectedField("name", "성함", FieldType.NAME, "홍길동", true),
        new CollectedField("phone", "휴대폰 번호", FieldType.PHONE, "010-1234-5678", true)), handoff.fields());
    assertEquals(List.of("홍*동", "010-****-5678"), handoff.fields().stream().map(CollectedField::shown).toList());
  }

  @Test
  void outOfHoursTheCustomerLeavesAnInquiry() {
    Step closed = button(engine.start(demo, at(CLOSED)), "agent", CLOSED);
    assertEquals(List.of("지금은 상담 시간이 아니에요 (평일 09:00~18:00). 문의를 남겨 주시면 상담 시간에 연락드릴게요."),
        texts(closed));
    assertEquals(List.of("leave", "call-me", "done"), buttonIds(closed.messages().get(0)));
    Step name = button(closed, "leave", CLOSED);
    Step phone = text(name, "김민지", CLOSED);
    Step question = text(phone, "+82 10 9876 5432", CLOSED);
    assertEquals(List.of("문의하실 내용을 적어 주세요."), texts(question));
    Step left = text(question, "카드 재발급 기간이 궁금합니다 🙏", CLOSED);
    Outcome.InquiryLeft inquiry = assertInstanceOf(Outcome.InquiryLeft.class, left.outcome());
    assertEquals("general", inquiry.queue());
    assertEquals(List.of("김민지", "010-9876-5432", "카드 재발급 기간이 궁금합니다 🙏"),
        inquiry.fields().stream().map(CollectedField::value).toList());
    assertEquals(List.of("문의가 접수되었어요. 상담 시간에 연락드릴게요."), texts(left));
  }

  @Test
  void anAnswerThenGoodbyeEndsTheConversation() {
    Step answer = button(engine.start(demo, at(OPEN)), "lost-card", OPEN);
    assertEquals(2, answer.messages().size());
    assertTrue(answer.messages().get(0).text().startsWith("카드를 잃어버리셨다면"));
    assertEquals(List.of("other", "agent", "done"), buttonIds(answer.messages().get(1)));
    Step bye = button(answer, "done", OPEN);
    assertEquals(new Outcome.Ended("answered", List.of()), bye.outcome());
    assertEquals(List.of("이용해 주셔서 감사합니다. 좋은 하루 보내세요!"), texts(bye));
  }

  @Test
  void anOrderNumberIsCollectedAndCarriedThroughToTheHandOff() {
    Step order = button(engine.start(demo, at(OPEN)), "delivery", OPEN);
    assertEquals(List.of("배송 조회를 도와드릴게요.", "주문번호를 입력해 주세요. (예: ORD-20261202-001)"), texts(order));
    Step contact = text(order, "ORD-20261202-001", OPEN);
    assertEquals(List.of("주문번호를 확인했어요. 배송 상황은 상담원이 바로 확인해 드릴게요.",
        "상담원 연결 전에 몇 가지만 여쭤볼게요.", "성함을 알려 주세요."), texts(contact));
    Outcome.HandOff handoff = assertInstanceOf(Outcome.HandOff.class,
        text(text(contact, "홍길동", OPEN), "010-1234-5678", OPEN).outcome());
    assertEquals(List.of("orderNumber", "name", "phone"), handoff.fields().stream().map(CollectedField::name).toList());
    assertEquals("ORD-20261202-001", handoff.fields().get(0).shown(), "an order number is not personal");
  }

  @Test
  void freeTextAtAMenuIsAnsweredFromTheFaqAndTheMenuOfferedAgain() {
    Step answered = text(engine.start(demo, at(OPEN)), "카드 한도 올리고 싶어요", OPEN);
    assertEquals(List.of(LIMIT.answer(), "무엇을 도와드릴까요?"), texts(answered));
    assertEquals(List.of("lost-card", "delivery", "agent"), buttonIds(answered.messages().get(1)));
    assertEquals("main-menu", waiting(answered).node());
    assertEquals(List.of("카드 한도 올리고 싶어요"), asked);
  }

  @Test
  void unsureFreeTextOffersTheThreeClosestQuestionsAsButtons() {
    Step offered = text(engine.start(demo, at(OPEN)), "결제 관련 문의", OPEN);
    assertEquals(List.of("혹시 아래 질문 중에 찾으시는 내용이 있나요?"), texts(offered));
    assertEquals(List.of(new Button("_faq1", "결제일을 바꿀 수 있나요?"), new Button("_faq2", "결제가 늦으면 어떻게 되나요?"),
        new Button("_faq3", "결제를 취소하고 싶어요"), new Button("_none", "찾는 내용이 없어요")),
        offered.messages().get(0).buttons());
    assertEquals(List.of(PAY_DAY, PAY_LATE, PAY_CANCEL), waiting(offered).suggestions());

    Step chosen = button(offered, "_faq2", OPEN);
    assertEquals(List.of(PAY_LATE.answer(), "무엇을 도와드릴까요?"), texts(chosen));
    assertEquals(List.of(), waiting(chosen).suggestions());

    // A menu button still works while suggestions are shown.
    assertEquals("contact-form", waiting(button(offered, "agent", OPEN)).node());

    Step none = button(offered, "_none", OPEN);
    assertEquals(List.of("죄송해요, 제가 잘 이해하지 못했어요. 상담원과 이야기하실 수 있게 도와드릴게요.",
        "상담원에게 연결해 드릴게요. 잠시만 기다려 주세요."), texts(none));
    assertInstanceOf(Outcome.HandOff.class, none.outcome());
  }

  @Test
  void freeTextNobodyUnderstandsGoesToTheFallbackNeverADeadEnd() {
    Step open = text(engine.start(demo, at(OPEN)), "ㅁㄴㅇㄹ", OPEN);
    assertEquals(new Outcome.HandOff("general", null, List.of()), open.outcome(), "in hours, straight to an agent");

    Step closed = text(engine.start(demo, at(CLOSED)), "ㅁㄴㅇㄹ", CLOSED);
    assertEquals(List.of("죄송해요, 제가 잘 이해하지 못했어요. 상담원과 이야기하실 수 있게 도와드릴게요.",
        "지금은 상담 시간이 아니에요 (평일 09:00~18:00). 문의를 남겨 주시면 상담 시간에 연락드릴게요."), texts(closed));
    assertEquals("closed-menu", waiting(closed).node());
    // And again: still a menu with a way out, however often.
    Step again = text(closed, "???", CLOSED);
    assertEquals("closed-menu", waiting(again).node());
    assertEquals(List.of("leave", "call-me", "done"), buttonIds(again.messages().get(1)));
  }

  @Test
  void aButtonTheBotDidNotOfferIsReadAsText() {
    Step start = engine.start(demo, at(OPEN));
    Step typed = reply(start, new Reply("한도 문의", "no-such-button"), OPEN);
    assertEquals(List.of(LIMIT.answer(), "무엇을 도와드릴까요?"), texts(typed));
    Step bare = button(start, "한도", OPEN);
    assertEquals(List.of(LIMIT.answer(), "무엇을 도와드릴까요?"), texts(bare));
    // A suggestion button when none are offered, and a skip where the field is required, are text too.
    button(start, "_faq1", OPEN);
    assertEquals(List.of("한도 문의", "한도", "_faq1"), asked);
    Step form = button(start, "agent", OPEN);
    Step skipped = button(form, "_skip", OPEN);
    assertEquals(List.of("성함을 다시 확인해 주세요. 한글이나 영문으로 입력해 주세요."), texts(skipped));
  }

  @Test
  void aStaleButtonAtAFormIsAskedAgainNotKeptAsTheAnswer() {
    Step form = button(engine.start(demo, at(OPEN)), "agent", OPEN);
    Step clicked = reply(form, new Reply("상담원 연결", "agent"), OPEN);
    assertEquals(List.of("성함을 다시 확인해 주세요. 한글이나 영문으로 입력해 주세요."), texts(clicked));
    assertEquals(new BotState(1, 1, "contact-form", 0, 1, List.of(), List.of()), waiting(clicked));
    assertEquals(List.of(), asked, "a form never asks the FAQ");
    assertEquals("연락 가능한 휴대폰 번호를 알려 주세요.", reply(form, new Reply("홍길동", " "), OPEN).messages().get(0).text(),
        "an empty button is no click");
  }

  @Test
  void aFormAnswerStillWrongAfterTheRetriesGoesToTheFallbackKeepingWhatWasCollected() {
    Step phone = text(button(engine.start(demo, at(OPEN)), "agent", OPEN), "홍길동", OPEN);
    Step first = text(phone, "모름", OPEN);
    Step second = text(first, "알려드리기 싫어요", OPEN);
    assertEquals(2, waiting(second).retries());
    Step third = text(second, "😀", OPEN);
    assertEquals(List.of("죄송해요, 제가 잘 이해하지 못했어요. 상담원과 이야기하실 수 있게 도와드릴게요.",
        "상담원에게 연결해 드릴게요. 잠시만 기다려 주세요."), texts(third));
    Outcome.HandOff handoff = assertInstanceOf(Outcome.HandOff.class, third.outcome());
    assertEquals(List.of("홍길동"), handoff.fields().stream().map(CollectedField::value).toList());
  }

  @Test
  void hostileTextIsBoundedBeforeTheFaqAndRefusedByForms() {
    String huge = "결제".repeat(50_000);
    Step offered = text(engine.start(demo, at(OPEN)), huge, OPEN);
    assertEquals(ScenarioEngine.MAX_QUESTION, asked.get(0).length());
    assertEquals("main-menu", waiting(offered).node());

    String emojiAtTheCut = "a".repeat(ScenarioEngine.MAX_QUESTION - 1) + "😀😀";
    text(engine.start(demo, at(OPEN)), emojiAtTheCut, OPEN);
    String cut = asked.get(1);
    assertEquals(ScenarioEngine.MAX_QUESTION, cut.codePointCount(0, cut.length()));
    assertTrue(cut.endsWith("😀"), "an emoji is never cut in half");

    Step name = button(engine.start(demo, at(OPEN)), "agent", OPEN);
    assertEquals(1, waiting(text(name, "가".repeat(1_000_000), OPEN)).retries());
    assertEquals(1, waiting(text(name, "\u0000\u202e홍길동", OPEN)).retries());

    assertThrows(IllegalArgumentException.class, () -> new Reply(null, null));
    assertThrows(IllegalArgumentException.class, () -> new Reply("  ", ""));
  }

  @Test
  void aStateOfAnotherVersionOrAtANodeThatDoesNotWaitIsRefused() {
    BotState state = waiting(engine.start(demo, at(OPEN)));
    Scenario edited = Scenario.parse(JSON.readObject(ScenarioValidationTest.class.getResourceAsStream(
        "/io/sangdam/bot/scenario/demo-scenario.json")), 1, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> engine.reply(edited, state, Reply.text("안녕"), at(OPEN)));
    assertEquals("state of scenario 1 v1 given to scenario 1 v2", e.getMessage());
    BotState atHandoff = new BotState(1, 1, "to-agent", 0, 0, List.of(), List.of());
    assertEquals("state waits at node 'to-agent', a handoff node, which never waits", assertThrows(
        IllegalArgumentException.class, () -> engine.reply(demo, atHandoff, Reply.text("안녕"), at(OPEN)))
        .getMessage());
    BotState pastTheFields = new BotState(1, 1, "contact-form", 2, 0, List.of(), List.of());
    assertEquals("state asks field 2 of form 'contact-form', which has 2", assertThrows(
        IllegalArgumentException.class, () -> engine.reply(demo, pastTheFields, Reply.text("홍길동"), at(OPEN)))
        .getMessage());
  }

  private static final List<Button> RATING = List.of(new Button("_helpful", "도움이 됐어요"),
      new Button("_unhelpful", "도움이 안 됐어요"));

  @Test
  void aConfidentAnswerAtAMenuAsksWhetherItHelpedAndSaysWhatHappened() {
    Step start = engine.start(demo, at(OPEN));
    assertEquals(List.of(), start.facts());
    Step answered = text(start, "카드 한도 올리고 싶어요", OPEN);
    assertEquals(RATING, answered.messages().get(0).buttons(), "the answer carries the buttons");
    assertEquals(List.of("lost-card", "delivery", "agent"), buttonIds(answered.messages().get(1)));
    assertEquals(List.of(new BotFact.FaqAsked(BotFact.FaqResult.ANSWERED, "faq-1")), answered.facts());
    assertEquals("faq-1", waiting(answered).answered());

    Step helpful = button(answered, "_helpful", OPEN);
    assertEquals(List.of(new BotFact.Rated("faq-1", true)), helpful.facts());
    assertEquals(List.of("의견 감사합니다. 더 궁금하신 점이 있으면 말씀해 주세요.", "무엇을 도와드릴까요?"), texts(helpful));
    assertEquals(List.of("lost-card", "delivery", "agent"), buttonIds(helpful.messages().get(1)), "on where it was");
    assertEquals(new BotState(1, 1, "main-menu", 0, 0, List.of(), List.of()), waiting(helpful));

    // The same click again (a repeated frame, or a stale button): thanked, but counted once only.
    Step again = button(helpful, "_helpful", OPEN);
    assertEquals(List.of(), again.facts());
    assertEquals("main-menu", waiting(again).node());
  }

  @Test
  void notHelpfulApologisesAndTakesTheScenariosFallback() {
    Step answered = text(engine.start(demo, at(OPEN)), "한도", OPEN);
    Step unhelpful = reply(answered, new Reply("도움이 안 됐어요", "_unhelpful"), OPEN);
    assertEquals(List.of(new BotFact.Rated("faq-1", false)), unhelpful.facts());
    assertEquals(List.of("도움이 되지 못해 죄송해요.",
        "죄송해요, 제가 잘 이해하지 못했어요. 상담원과 이야기하실 수 있게 도와드릴게요.",
        "상담원에게 연결해 드릴게요. 잠시만 기다려 주세요."), texts(unhelpful));
    assertEquals(new Outcome.HandOff("general", null, List.of()), unhelpful.outcome(), "in hours, to an agent");

    Step closed = reply(text(engine.start(demo, at(CLOSED)), "한도", CLOSED), new Reply(null, "_unhelpful"),
        CLOSED);
    assertEquals("closed-menu", waiting(closed).node(), "out of hours, the offer of an inquiry");
  }

  @Test
  void textInsteadOfAClickIsReadAsUsualAndTheRatingIsDropped() {
    Step answered = text(engine.start(demo, at(OPEN)), "한도", OPEN);
    Step typed = text(answered, "결제 문의", OPEN);
    assertEquals(List.of(new BotFact.FaqAsked(BotFact.FaqResult.SUGGESTED, null)), typed.facts());
    assertEquals(null, waiting(typed).answered());
    assertEquals(List.of(), button(typed, "_faq1", OPEN).facts().stream()
        .filter(f -> f instanceof BotFact.Rated).toList(), "nothing rated by a suggestion's click");
    Step menu = button(answered, "delivery", OPEN);
    assertEquals(List.of(), menu.facts(), "a menu button is no question");
    assertEquals(null, waiting(menu).answered());
  }

  @Test
  void aChosenSuggestionIsAnsweredWithTheButtonsAndCountedAsChosen() {
    Step offered = text(engine.start(demo, at(OPEN)), "결제", OPEN);
    assertEquals(List.of(new BotFact.FaqAsked(BotFact.FaqResult.SUGGESTED, null)), offered.facts());
    Step chosen = button(offered, "_faq3", OPEN);
    assertEquals(List.of(new BotFact.FaqChosen("faq-4")), chosen.facts());
    assertEquals(PAY_CANCEL.answer(), chosen.messages().get(0).text());
    assertEquals(RATING, chosen.messages().get(0).buttons());
    assertEquals(List.of(new BotFact.Rated("faq-4", true)), button(chosen, "_helpful", OPEN).facts());

    Step nothing = text(engine.start(demo, at(OPEN)), "ㅁㄴㅇㄹ", OPEN);
    assertEquals(List.of(new BotFact.FaqAsked(BotFact.FaqResult.UNANSWERED, null)), nothing.facts());
  }

  @Test
  void atAnFaqNodeAnAnswerFollowedByAnEndOffersNoButtonsAndAHelpfulClickAsksAgain() {
    Scenario faqNode = Scenario.parse(JSON.readObject("""
        {"name": "FAQ", "start": "ask", "fallback": {"text": "연결할게요.", "next": "agent"},
         "texts": {"helpful": "네", "unhelpful": "아니요", "thanks": "고마워요!"},
         "nodes": [
           {"id": "ask", "type": "faq", "text": "무엇이든 물어보세요.", "confident": "more", "unsure": "agent",
            "nothing": "agent"},
           {"id": "more", "type": "faq", "text": "더 궁금한 점이 있나요?", "confident": "bye", "unsure": "agent",
            "nothing": "agent"},
           {"id": "agent", "type": "handoff", "queue": "general"},
           {"id": "bye", "type": "end", "reason": "answered"}]}"""), 7, 1);
    Step first = engine.reply(faqNode, waiting(engine.start(faqNode, at(OPEN))), Reply.text("한도"), at(OPEN));
    assertEquals(List.of(new Button("_helpful", "네"), new Button("_unhelpful", "아니요")),
        first.messages().get(0).buttons(), "labels from the scenario's texts");
    assertEquals(new BotState(7, 1, "more", 0, 0, List.of(), List.of(), "faq-1"), waiting(first));
    Step thanked = engine.reply(faqNode, waiting(first), new Reply(null, "_helpful"), at(OPEN));
    assertEquals(List.of("고마워요!", "더 궁금한 점이 있나요?"), texts(thanked));
    assertEquals("more", waiting(thanked).node());
    assertEquals("도움이 되지 못해 죄송해요.", faqNode.texts().sorry(), "a text not given is the Korean default");

    Step ended = engine.reply(faqNode, waiting(first), Reply.text("한도 문의"), at(OPEN));
    assertInstanceOf(Outcome.Ended.class, ended.outcome());
    assertEquals(List.of(), ended.messages().get(0).buttons(), "no click could reach the bot after its end");
    assertEquals(List.of(new BotFact.FaqAsked(BotFact.FaqResult.ANSWERED, "faq-1")), ended.facts());
  }

  @Test
  void aHelpfulClickDuringAFormAsksTheSameFieldAgainKeepingItsRetries() {
    Scenario faqThenForm = Scenario.parse(JSON.readObject("""
        {"name": "FAQ", "start": "ask", "fallback": {"text": "연결할게요.", "next": "agent"},
         "nodes": [
           {"id": "ask", "type": "faq", "text": "무엇이든 물어보세요.", "confident": "form", "unsure": "agent",
            "nothing": "agent"},
           {"id": "form", "type": "form", "next": "agent", "fields": [
             {"name": "phone", "type": "phone", "label": "휴대폰", "prompt": "번호를 알려 주세요."}]},
           {"id": "agent", "type": "handoff", "queue": "general"}]}"""), 8, 1);
    Step asked = engine.reply(faqThenForm, waiting(engine.start(faqThenForm, at(OPEN))), Reply.text("한도"), at(OPEN));
    assertEquals(List.of(LIMIT.answer(), "번호를 알려 주세요."), texts(asked));
    Step thanked = engine.reply(faqThenForm, waiting(asked), new Reply("도움이 됐어요", "_helpful"), at(OPEN));
    assertEquals(List.of("의견 감사합니다. 더 궁금하신 점이 있으면 말씀해 주세요.", "번호를 알려 주세요."), texts(thanked));
    assertEquals(new BotState(8, 1, "form", 0, 0, List.of(), List.of()), waiting(thanked));
    assertEquals(List.of(new BotFact.Rated("faq-1", true)), thanked.facts());
  }
}
