package io.sangdam.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FieldsTest {
  private final Json json = new Json();

  private Fields fields(String text) {
    return new Fields(json.readObject(text));
  }

  private static ErrorCode code(Runnable r) {
    return assertThrows(SangdamException.class, r::run).code();
  }

  @Test
  void malformedJsonAndNonObjectsAreBadJson() {
    assertEquals(ErrorCode.BAD_JSON, code(() -> json.readObject("{\"type\":")));
    assertEquals(ErrorCode.BAD_JSON, code(() -> json.readObject("[1,2]")));
    assertEquals(ErrorCode.BAD_JSON, code(() -> json.readObject("\"hello\"")));
    assertEquals(ErrorCode.BAD_JSON, code(() -> json.readObject("{} {}")));
  }

  @Test
  void textIsAtMost4000CharactersCountingCodePoints() {
    String max = "가".repeat(4000);
    assertEquals(max, fields("{\"text\":\"" + max + "\"}").text("text"));
    String emoji = "😀".repeat(4000);
    assertEquals(emoji, fields("{\"text\":\"" + emoji + "\"}").text("text"));
    assertEquals(ErrorCode.TOO_LONG, code(() -> fields("{\"text\":\"" + max + "a\"}").text("text")));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> fields("{\"text\":\"  \"}").text("text")));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> fields("{\"text\":5}").text("text")));
    assertEquals(ErrorCode.MISSING_FIELD, code(() -> fields("{}").text("text")));
  }

  @Test
  void idsArePositiveWholeNumbers() {
    assertEquals(42, fields("{\"conversation\":42}").id("conversation"));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> fields("{\"conversation\":\"42\"}").id("conversation")));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> fields("{\"conversation\":1.5}").id("conversation")));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> fields("{\"conversation\":0}").id("conversation")));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> fields("{\"conversation\":1e30}").id("conversation")));
    assertEquals(ErrorCode.MISSING_FIELD, code(() -> fields("{\"conversation\":null}").id("conversation")));
  }

  @Test
  void codesAreSlugs() {
    assertEquals("seoul-1", fields("{\"code\":\"seoul-1\"}").slug("code"));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> fields("{\"code\":\"Seoul\"}").slug("code")));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> fields("{\"code\":\"-x\"}").slug("code")));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> fields("{\"code\":\"" + "a".repeat(33) + "\"}").slug("code")));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> fields("{\"q\":[\"ok\",\"NO\"]}").slugs("q")));
  }

  private enum Color { RED, GREEN }

  @Test
  void enumValuesAreSpelledExactly() {
    assertEquals(Color.GREEN, fields("{\"c\":\"GREEN\"}").oneOf("c", Color.class));
    SangdamException e = assertThrows(SangdamException.class, () -> fields("{\"c\":\"green\"}").oneOf("c", Color.class));
    assertEquals("field 'c' must be one of [RED, GREEN]", e.getMessage());
    assertEquals(ErrorCode.MISSING_FIELD, code(() -> fields("{}").oneOf("c", Color.class)));
  }

  @Test
  void messagesNameTheField() {
    assertEquals("field 'cmid' is required",
        assertThrows(SangdamException.class, () -> fields("{}").string("cmid", 64)).getMessage());
    assertEquals("field 'cmid' must be at most 64 characters", assertThrows(SangdamException.class,
        () -> fields("{\"cmid\":\"" + "x".repeat(65) + "\"}").string("cmid", 64)).getMessage());
  }

  @Test
  void stringsWithAnUnpairedSurrogateAreRefusedNamingTheField() {
    SangdamException nested = assertThrows(SangdamException.class,
        () -> json.readObject("{\"a\":{\"b\":[\"ok\",\"\\udc00\"]}}"));
    assertEquals(ErrorCode.INVALID_FIELD, nested.code());
    assertEquals("field 'a.b[1]' must be valid Unicode text (it has an unpaired surrogate)", nested.getMessage());
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> json.readObject("{\"text\":\"\\ud83d\"}")));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> json.readObject("{\"\\ud83dx\":1}")));
    assertEquals("😀", fields("{\"text\":\"\\ud83d\\ude00\"}").text("text"), "a pair is one character");
  }

  @Test
  void aRidIsAStringOfAtMost128CharactersOrAFiniteNumber() {
    assertEquals("r1", Fields.rid(json.readObject("{\"rid\":\"r1\"}")).asText());
    assertEquals(7, Fields.rid(json.readObject("{\"rid\":7}")).asInt());
    assertEquals(null, Fields.rid(json.readObject("{}")));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> Fields.rid(json.readObject("{\"rid\":1e999}"))));
    assertEquals(ErrorCode.INVALID_FIELD, code(() -> Fields.rid(json.readObject("{\"rid\":{}}"))));
    assertEquals(ErrorCode.INVALID_FIELD,
        code(() -> Fields.rid(json.readObject("{\"rid\":\"" + "r".repeat(129) + "\"}"))));
  }
}
