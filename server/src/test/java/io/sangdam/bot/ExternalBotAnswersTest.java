package io.sangdam.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.sangdam.bot.scenario.BotMessage;
import io.sangdam.bot.scenario.Button;
import io.sangdam.bot.scenario.CollectedField;
import io.sangdam.bot.scenario.ExternalAnswer;
import io.sangdam.bot.scenario.FieldType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading an external bot's answer: every shape docs/protocol.md allows, and each way of getting it wrong named. */
class ExternalBotAnswersTest {
  private static ExternalAnswer read(String json) {
    return ExternalBotAnswers.read(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  private static String why(String json) {
    return assertInstanceOf(ExternalAnswer.Failed.class, read(json)).why();
  }

  @Test
  void messagesWithButtonsAndWait() {
    ExternalAnswer.Answered a = assertInstanceOf(ExternalAnswer.Answered.class, read("{'messages':["
        + "{'text':'무엇을 도와드릴까요?','buttons':[{'id':'lost','label':'카드 분실'}]},{'text':'편하게 말씀하세요.'}],"
        + "'action':'wait','trace':'ignored, a key of the bot own'}"));
    assertEquals(List.of(new BotMessage("무엇을 도와드릴까요?", List.of(new Button("lost", "카드 분실"))),
        new BotMessage("편하게 말씀하세요.", List.of())), a.messages());
    assertEquals(ExternalAnswer.Action.WAIT, a.action());
    assertEquals(List.of(), a.fields());
  }

  @Test
  void aHandOffWithQueueCenterAndFieldsAndAnEndWithoutMessages() {
    ExternalAnswer.Answered h = assertInstanceOf(ExternalAnswer.Answered.class, read("{'action':'handoff',"
        + "'queue':'Card','center':'busan','fields':[{'name':'intent','label':'문의 유형','value':'카드 분실'}]}"));
    assertEquals("card", h.queue());
    assertEquals("busan", h.center());
    assertEquals(List.of(new CollectedField("intent", "문의 유형", FieldType.TEXT, "카드 분실", false)), h.fields());
    ExternalAnswer.Answered e = assertInstanceOf(ExternalAnswer.Answered.class, read("{'action':'end'}"));
    assertEquals(ExternalAnswer.Action.END, e.action());
    assertEquals(List.of(), e.messages());
  }

  @Test
  void garbageIsNamed() {
    assertEquals("the answer is not JSON", why("<html>502 Bad Gateway</html>"));
    assertEquals("the answer is not a JSON object", why(""));
    assertEquals("the answer is not a JSON object", why("['wait']"));
    assertEquals("'action' must be one of wait, handoff, end", why("{'messages':[]}"));
    assertEquals("'action' is 'transfer', not one of wait, handoff, end", why("{'action':'transfer'}"));
    assertEquals("'messages' must be an array", why("{'action':'wait','messages':'hi'}"));
    assertEquals("'messages[0]' must be an object", why("{'action':'wait','messages':['hi']}"));
    assertEquals("'messages[0].text' must be a non-blank string", why("{'action':'wait','messages':[{'text':' '}]}"));
    assertEquals("'messages[0].buttons[0].label' must be a non-blank string",
        why("{'action':'wait','messages':[{'text':'a','buttons':[{'id':'x'}]}]}"));
    assertEquals("'queue' must be a code matching [a-z0-9][a-z0-9-]{0,31}", why("{'action':'handoff','queue':'상담'}"));
    assertEquals("'center' is given without 'queue'", why("{'action':'handoff','center':'busan'}"));
    assertEquals("'fields[0].value' must be a non-blank string",
        why("{'action':'handoff','fields':[{'name':'n','label':'l','value':3}]}"));
  }

  @Test
  void tooManyOrTooLongIsNamed() {
    String six = "{'text':'a'},".repeat(5) + "{'text':'a'}";
    assertEquals("'messages' has 6 items, more than 5", why("{'action':'wait','messages':[" + six + "]}"));
    assertEquals("'messages[0].text' is longer than 1000 characters",
        why("{'action':'wait','messages':[{'text':'" + "가".repeat(1001) + "'}]}"));
    String buttons = "{'id':'b','label':'l'},".repeat(10) + "{'id':'b','label':'l'}";
    assertEquals("'messages[0].buttons' has 11 items, more than 10",
        why("{'action':'wait','messages':[{'text':'a','buttons':[" + buttons + "]}]}"));
    assertEquals("'messages[0].buttons[0].label' is longer than 30 characters",
        why("{'action':'wait','messages':[{'text':'a','buttons':[{'id':'b','label':'" + "x".repeat(31) + "'}]}]}"));
    assertEquals("'messages[0].buttons[0].id' is longer than 64 characters",
        why("{'action':'wait','messages':[{'text':'a','buttons':[{'id':'" + "x".repeat(65) + "','label':'l'}]}]}"));
    assertEquals("the answer is over 65536 bytes", why("{'action':'wait','pad':'" + "x".repeat(70_000) + "'}"));
    assertEquals("the answer is not JSON", why("[".repeat(100) + "]".repeat(100)));
  }
}
