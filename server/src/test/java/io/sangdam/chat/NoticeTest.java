package io.sangdam.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sangdam.testing.JsTables;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's notices and the apps' wording of them (admin-web/shared/system-messages.js) agree. */
class NoticeTest {
  private static final Map<String, String> PARAMS = Map.of("agent", "박상담", "name", "최매니저", "minutes", "5");

  @Test
  void theTextFillsTheParamsIntoTheTenantsWording() {
    assertEquals("박상담 상담사가 이어서 상담해 드리겠습니다.", Notice.transferredToAgent("박상담").text());
    assertEquals("$1 님이 상담을 이어받았습니다.", Notice.takenOver("$1").text(), "a name is put in as it is");
  }

  @Test
  void everyKeyIsWordedByTheAppsInBothLanguagesAndTheirKoreanIsTheServersText() throws Exception {
    String said = JsTables.read(JsTables.WEB.resolve("shared").resolve("system-messages.js"));
    Map<String, String> korean = JsTables.entries(said, "WORDING", "ko");
    Map<String, String> english = JsTables.entries(said, "WORDING", "en");
    List<String> keys = keys();
    assertFalse(keys.isEmpty());
    assertEquals(korean.keySet(), english.keySet());
    assertEquals(List.copyOf(korean.keySet()), keys, "the apps word every key the server sends, and no other");
    for (String key : keys) {
      String filled = korean.get(key);
      for (Map.Entry<String, String> p : PARAMS.entrySet()) {
        filled = filled.replace("{" + p.getKey() + "}", p.getValue());
      }
      assertEquals(new Notice(key, PARAMS).text(), filled, key);
      assertTrue(english.get(key).chars().noneMatch(c -> c >= 0xAC00 && c <= 0xD7A3), key + " in English is English");
    }
  }

  /** The keys Notice declares, in order. */
  private static List<String> keys() throws IllegalAccessException {
    List<String> keys = new ArrayList<>();
    for (Field f : Notice.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        keys.add((String) f.get(null));
      }
    }
    return keys;
  }
}
