package io.sangdam.bot.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every way a scenario is refused names the node at fault, and the shipped demo scenario is accepted. */
class ScenarioValidationTest {
  private static final Json JSON = new Json();

  /** A scenario of {@code nodes} (JSON with single quotes) starting at {@code start}, falling back to {@code bye}. */
  static String scenario(String start, String nodes) {
    return ("{'name':'테스트','start':'" + start + "','fallback':{'text':'잘 모르겠어요.','next':'bye'},'nodes':["
        + nodes + ",{'id':'bye','type':'end','text':'안녕히 가세요.','reason':'answered'}]}");
  }

  static Scenario parse(String json) {
    return Scenario.parse(JSON.readObject(json.replace('\'', '"')), 7, 1);
  }

  private static List<ScenarioProblem> problems(String json) {
    InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> parse(json));
    assertEquals(ErrorCode.INVALID_FIELD, e.code());
    assertEquals(e.problems().get(0).toString() + (e.problems().size() > 1
        ? " (and " + (e.problems().size() - 1) + " more)" : ""), e.getMessage());
    return e.problems();
  }

  private static void assertOnlyProblem(String expected, String json) {
    List<ScenarioProblem> problems = problems(json);
    assertEquals(List.of(expected), problems.stream().map(ScenarioProblem::toString).toList());
  }

  static Scenario demo() {
    try (InputStream in = Scenario.class.getResourceAsStream("demo-scenario.json")) {
      return Scenario.parse(JSON.readObject(in), 1, 1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theDemoScenarioIsValid() {
    Scenario demo = demo();
    assertEquals("greeting", demo.start());
    assertEquals(15, demo.nodes().size());
    assertEquals(2, demo.maxRetries());
    assertEquals(Scenario.Texts.KOREAN, demo.texts());
  }

  @Test
  void aButtonToNowhereIsNamedWithItsMenu() {
    assertOnlyProblem("node 'menu' field 'buttons[1].next' names no node 'nowhere'", scenario("menu",
        "{'id':'menu','type':'menu','text':'고르세요','buttons':[{'id':'a','label':'끝','next':'bye'},"
            + "{'id':'b','label':'어디로','next':'nowhere'}]}"));
  }

  @Test
  void aCycleWithNoExitNamesEveryNodeInIt() {
    List<ScenarioProblem> problems = problems(scenario("one",
        "{'id':'one','type':'menu','text':'하나','buttons':[{'id':'a','label':'둘로','next':'two'}]},"
            + "{'id':'two','type':'menu','text':'둘','buttons':[{'id':'a','label':'하나로','next':'one'}]}"));
    // bye is reachable only through the fallback, which counts for reaching but not for leaving.
    assertEquals(List.of(
        "node 'one' cannot lead to a handoff, inquiry or end: it is in a cycle with no exit",
        "node 'two' cannot lead to a handoff, inquiry or end: it is in a cycle with no exit"),
        problems.stream().map(ScenarioProblem::toString).toList());
    assertEquals("one", problems.get(0).node());
  }

  @Test
  void aLoopThatNeverWaitsIsRefusedEvenWithAnExit() {
    // Out of hours this would say the message forever.
    assertEquals(List.of(
        "node 'closed' is in a loop of message, hours or externalBot nodes that never waits for the customer",
        "node 'hours' is in a loop of message, hours or externalBot nodes that never waits for the customer"),
        problems(scenario("hours", "{'id':'hours','type':'hours','open':'bye','closed':'closed'},"
            + "{'id':'closed','type':'message','text':'닫혔어요','next':'hours'}")).stream()
            .map(ScenarioProblem::toString).sorted().toList());
  }

  @Test
  void aFormFieldWithoutATypeOrWithAnUnknownOneIsNamed() {
    assertOnlyProblem("node 'form' field 'fields[1].type' is required", scenario("form",
        "{'id':'form','type':'form','next':'bye','fields':[{'name':'name','type':'name','label':'성함','prompt':'성함?'},"
            + "{'name':'phone','label':'전화','prompt':'전화?'}]}"));
    assertOnlyProblem("node 'form' field 'fields[0].type' is 'zip', not one of name, phone, email, number, "
        + "orderNumber, text, date", scenario("form",
        "{'id':'form','type':'form','next':'bye','fields':[{'name':'zip','type':'zip','label':'우편','prompt':'?'}]}"));
  }

  @Test
  void aMenuWithoutButtonsIsNamed() {
    assertOnlyProblem("node 'menu' field 'buttons' is required",
        scenario("menu", "{'id':'menu','type':'menu','text':'고르세요'}"));
    assertOnlyProblem("node 'menu' field 'buttons' must have at least one button",
        scenario("menu", "{'id':'menu','type':'menu','text':'고르세요','buttons':[]}"));
  }

  @Test
  void duplicateIdsAreNamed() {
    assertOnlyProblem("node 'bye' field 'id' is used by another node too (nodes[1])",
        scenario("bye", "{'id':'bye','type':'end','reason':'done'}"));
    assertOnlyProblem("node 'menu' field 'buttons[1].id' is 'a', the id of another button of this menu",
        scenario("menu", "{'id':'menu','type':'menu','text':'?','buttons':[{'id':'a','label':'1','next':'bye'},"
            + "{'id':'a','label':'2','next':'bye'}]}"));
  }

  @Test
  void aMissingOrUnknownStartIsRefused() {
    assertOnlyProblem("scenario field 'start' is required", "{'name':'n','fallback':{'text':'t','next':'bye'},"
        + "'nodes':[{'id':'bye','type':'end','reason':'done'}]}");
    assertOnlyProblem("scenario field 'start' names no node 'hello'",
        scenario("hello", "{'id':'x','type':'message','text':'t','next':'bye'}"));
  }

  @Test
  void anUnreachableNodeIsRefused() {
    assertOnlyProblem("node 'orphan' cannot be reached from start 'bye'",
        scenario("bye", "{'id':'orphan','type':'message','text':'아무도 못 와요','next':'bye'}"));
  }

  @Test
  void oversizeScenariosAreRefusedNamingTheLimit() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < Scenario.MAX_NODES; i++) {
      many.append(i == 0 ? "" : ",").append("{'id':'m").append(i).append("','type':'message','text':'t','next':'")
          .append(i + 1 < Scenario.MAX_NODES ? "m" + (i + 1) : "bye").append("'}");
    }
    assertOnlyProblem("scenario field 'nodes' must have at most 200 items", scenario("m0", many.toString()));
    assertOnlyProblem("node 'menu' field 'buttons[0].label' must be at most 30 characters", scenario("menu",
        "{'id':'menu','type':'menu','text':'?','buttons':[{'id':'a','label':'" + "가".repeat(31) + "','next':'bye'}]}"));
    assertOnlyProblem("node 'hi' field 'text' must be at most 1000 characters",
        scenario("hi", "{'id':'hi','type':'message','text':'" + "😀".repeat(1001) + "','next':'bye'}"));
    StringBuilder buttons = new StringBuilder();
    for (int i = 0; i <= Scenario.MAX_BUTTONS; i++) {
      buttons.append(i == 0 ? "" : ",").append("{'id':'b").append(i).append("','label':'l','next':'bye'}");
    }
    assertOnlyProblem("node 'menu' field 'buttons' must have at most 10 items",
        scenario("menu", "{'id':'menu','type':'menu','text':'?','buttons':[" + buttons + "]}"));
    assertOnlyProblem("scenario field 'nodes[0].id' is '" + "x".repeat(41) + "'; it must be 1 to 40 of A-Z, "
        + "a-z, 0-9, _ and -, starting with a letter or digit",
        scenario("bye", "{'id':'" + "x".repeat(41) + "','type':'end','reason':'r'}"));
  }

  @Test
  void anEmptyOrMissingHandoffQueueIsNamed() {
    assertOnlyProblem("node 'agent' field 'queue' must be a non-blank string",
        scenario("agent", "{'id':'agent','type':'handoff','queue':''}"));
    assertOnlyProblem("node 'agent' field 'queue' is required",
        scenario("agent", "{'id':'agent','type':'handoff','queue':null}"));
    assertOnlyProblem("node 'agent' field 'center' is 'Busan Center'; it must be a code matching "
        + "[a-z0-9][a-z0-9-]{0,31}", scenario("agent", "{'id':'agent','type':'handoff','queue':'general',"
            + "'center':'Busan Center'}"));
  }

  @Test
  void unknownKeysNullsAndWrongTypesAreNamed() {
    assertOnlyProblem("node 'hi' field 'nxet' is not a field here; fields are id, next, text, type",
        scenario("hi", "{'id':'hi','type':'message','text':'t','next':'bye','nxet':'bye'}"));
    assertOnlyProblem("node 'hi' field 'next' is required",
        scenario("hi", "{'id':'hi','type':'message','text':'t','next':null}"));
    assertOnlyProblem("scenario field 'nodes[0]' must be an object", scenario("bye", "null"));
    assertOnlyProblem("node 'hi' field 'text' must be a non-blank string",
        scenario("hi", "{'id':'hi','type':'message','text':42,'next':'bye'}"));
    assertOnlyProblem("node 'hi' field 'type' is 'gif', not one of message, menu, form, faq, hours, handoff, "
        + "inquiry, callback, end, externalBot", scenario("bye", "{'id':'hi','type':'gif'}"));
    assertOnlyProblem("scenario field 'fallback' is required",
        "{'name':'n','start':'bye','fallback':null,'nodes':[{'id':'bye','type':'end','reason':'done'}]}");
    assertOnlyProblem("scenario field 'maxRetries' must be a whole number from 1 to 5",
        "{'name':'n','start':'bye','maxRetries':9,'fallback':{'text':'t','next':'bye'},"
            + "'nodes':[{'id':'bye','type':'end','reason':'done'}]}");
  }

  @Test
  void theHelpfulTextsAreCheckedLikeTheOthers() {
    String texts = "{'name':'n','start':'bye','fallback':{'text':'t','next':'bye'},'texts':%s,"
        + "'nodes':[{'id':'bye','type':'end','reason':'done'}]}";
    assertOnlyProblem("scenario field 'texts.helpful' must be at most 30 characters",
        texts.formatted("{'helpful':'" + "가".repeat(31) + "'}"));
    assertOnlyProblem("scenario field 'texts.unhelpful' must be a non-blank string",
        texts.formatted("{'unhelpful':' '}"));
    assertOnlyProblem("scenario field 'texts.thanks' must be at most 1000 characters",
        texts.formatted("{'thanks':'" + "x".repeat(1001) + "'}"));
    assertOnlyProblem("scenario field 'texts.sorry' must be a non-blank string", texts.formatted("{'sorry':7}"));
    assertEquals("네, 도움이 됐어요", parse(texts.formatted("{'helpful':'네, 도움이 됐어요'}")).texts().helpful());
  }

  @Test
  void formFieldsAreCheckedForTheirOwnRules() {
    assertOnlyProblem("node 'form' field 'fields[0].pattern' is not a regular expression: Unclosed group",
        scenario("form", "{'id':'form','type':'form','next':'bye','fields':[{'name':'code','type':'text',"
            + "'label':'코드','prompt':'?','pattern':'(ab'}]}"));
    assertOnlyProblem("node 'form' field 'fields[0].pattern' applies to text and orderNumber fields only",
        scenario("form", "{'id':'form','type':'form','next':'bye','fields':[{'name':'p','type':'phone',"
            + "'label':'전화','prompt':'?','pattern':'.*'}]}"));
    assertOnlyProblem("node 'form' field 'fields[0].max' must not be less than min",
        scenario("form", "{'id':'form','type':'form','next':'bye','fields':[{'name':'n','type':'number',"
            + "'label':'수량','prompt':'?','min':5,'max':1}]}"));
    assertOnlyProblem("node 'form' field 'fields[1].name' is 'a', the name of another field of this form",
        scenario("form", "{'id':'form','type':'form','next':'bye','fields':[{'name':'a','type':'text',"
            + "'label':'가','prompt':'?'},{'name':'a','type':'text','label':'나','prompt':'?'}]}"));
  }

  @Test
  void anExternalBotNamesAnEndpointByItsCode() {
    assertEquals("externalBot", parse(scenario("ext", "{'id':'ext','type':'externalBot',"
        + "'endpoint':'company-ai','next':'bye','failure':'bye'}")).node("ext").type());
    List<ScenarioProblem> problems = problems(scenario("ext", "{'id':'ext','type':'externalBot',"
        + "'endpoint':'Company AI','url':'https://bot.example.com/hook','next':'bye'}"));
    assertEquals(List.of("node 'ext' field 'url' is not a field here; fields are endpoint, failure, id, next, type",
        "node 'ext' field 'endpoint' is 'Company AI'; it must be a code matching [a-z0-9][a-z0-9-]{0,31}",
        "node 'ext' field 'failure' is required"), problems.stream().map(ScenarioProblem::toString).toList());
  }

  @Test
  void everyProblemIsListedAtOnce() {
    List<ScenarioProblem> problems = problems(scenario("menu",
        "{'id':'menu','type':'menu','text':'?','buttons':[{'id':'a','label':'','next':'bye'}]},"
            + "{'id':'form','type':'form','next':'bye','fields':[{'name':'x','label':'엑스','prompt':'?'}]},"
            + "{'id':'agent','type':'handoff','queue':''}"));
    assertEquals(List.of("menu", "form", "agent"), problems.stream().map(ScenarioProblem::node).toList());
  }

  @Test
  void centersAndQueuesTheTenantDoesNotHaveAreNamedWhenChecked() {
    Scenario scenario = parse(scenario("hours",
        "{'id':'hours','type':'hours','center':'jeju','open':'agent','closed':'menu'},"
            + "{'id':'agent','type':'handoff','queue':'vip'},"
            + "{'id':'menu','type':'menu','text':'?','buttons':[{'id':'a','label':'문의','next':'inquiry'},"
            + "{'id':'b','label':'부산','next':'busan'}]},"
            + "{'id':'inquiry','type':'inquiry','queue':'general','center':'busan'},"
            + "{'id':'busan','type':'handoff','queue':'cards','center':'busan'}"));
    Targets seoulAndBusan = new Targets() {
      @Override
      public boolean hasCenter(String center) {
        return center.equals("seoul") || center.equals("busan");
      }

      @Override
      public boolean hasQueue(Optional<String> center, String queue) {
        return queue.equals("general") || (center.equals(Optional.of("busan")) && queue.equals("cards"));
      }
    };
    assertEquals(List.of("node 'hours' field 'center' names no center 'jeju' of this tenant",
        "node 'agent' field 'queue' names no queue 'vip' of this center"),
        scenario.problemsWith(seoulAndBusan).stream().map(ScenarioProblem::toString).toList());
    assertEquals(List.of(), demo().problemsWith(seoulAndBusan));
  }

  @Test
  void aScenarioIsNotAJsonObjectOrHasBrokenText() {
    ArrayNode notObject = JSON.mapper().createArrayNode();
    assertEquals("scenario must be a JSON object",
        assertThrows(InvalidScenarioException.class, () -> Scenario.parse(notObject, 1, 1)).getMessage());
    ObjectNode broken = (ObjectNode) JSON.parseObject(scenario("bye", "{'id':'x','type':'end','reason':'r'}")
        .replace('\'', '"'));
    broken.put("name", "\ud800");
    SangdamException e = assertThrows(SangdamException.class, () -> Scenario.parse(broken, 1, 1));
    assertEquals(ErrorCode.INVALID_FIELD, e.code());
    assertTrue(e.getMessage().startsWith("field 'name'"), e.getMessage());
  }
}
