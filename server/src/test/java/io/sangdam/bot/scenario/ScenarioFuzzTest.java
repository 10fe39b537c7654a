package io.sangdam.bot.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the scenario reader and the engine. Any JSON object is a scenario or a 422 naming what is wrong, never
 * another exception. Any sequence of replies (typed text, offered buttons, made-up ids) through the demo scenario,
 * with any FAQ verdicts and hours, never strands the customer: each turn says something, a waiting turn waits at a
 * node that waits and offers a way on, and its state reads back from JSON equal.
 *
 * <p>Kept inputs replay in every test run; {@code scripts/fuzz ScenarioFuzzTest} fuzzes.
 */
class ScenarioFuzzTest {
  private static final Json JSON = new Json();
  private static final Scenario DEMO = ScenarioValidationTest.demo();
  private static final FaqMatcher.Entry ENTRY = new FaqMatcher.Entry("e", "질문", "답");

  @FuzzTest
  void readsAnyObjectOrNamesTheProblem(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    com.fasterxml.jackson.databind.JsonNode body;
    try {
      body = JSON.parseObject(text);
    } catch (SangdamException e) {
      return;
    }
    try {
      Scenario.parse(body, 1, 1);
    } catch (InvalidScenarioException e) {
      assertFalse(e.problems().isEmpty());
    } catch (SangdamException e) {
      assertTrue(e.getMessage().startsWith("field '"), e.getMessage());
    }
  }

  @FuzzTest
  void neverStrandsTheCustomer(FuzzedDataProvider data) {
    ScenarioEngine engine = new ScenarioEngine();
    boolean open = data.consumeBoolean();
    List<FaqMatcher.Verdict> verdicts = List.of(new FaqMatcher.Nothing(), new FaqMatcher.Confident(ENTRY),
        new FaqMatcher.Unsure(List.of(ENTRY, ENTRY, ENTRY, ENTRY)), new FaqMatcher.Unsure(List.of()));
    BotContext context = new BotContext(Instant.EPOCH, (center, at) -> open,
        question -> verdicts.get(Math.floorMod(question.length(), verdicts.size())));
    Step step = engine.start(DEMO, context);
    for (int turn = 0; turn < 30 && data.remainingBytes() > 0; turn++) {
      assertFalse(step.messages().isEmpty(), "every turn says something");
      if (!(step.outcome() instanceof Outcome.Waiting waiting)) {
        return;
      }
      BotState state = waiting.state();
      assertEquals(state, BotState.fromJson(JSON.readObject(new String(JSON.write(state.toJson()),
          java.nio.charset.StandardCharsets.UTF_8))));
      Node node = DEMO.node(state.node());
      assertTrue(node.waits(), node.id());
      List<String> offered = new ArrayList<>();
      step.messages().forEach(m -> m.buttons().forEach(b -> offered.add(b.id())));
      if (node instanceof Node.Menu) {
        assertFalse(offered.isEmpty(), "a menu offers its buttons");
      }
      String text = data.consumeString(200);
      String button = switch (data.consumeInt(0, 2)) {
        case 0 -> null;
        case 1 -> offered.isEmpty() ? "x" : offered.get(data.consumeInt(0, offered.size() - 1));
        default -> data.consumeString(64);
      };
      if ((text.isBlank()) && (button == null || button.isBlank())) {
        text = "?";
      }
      step = engine.reply(DEMO, state, new Reply(text, button), context);
    }
  }
}
