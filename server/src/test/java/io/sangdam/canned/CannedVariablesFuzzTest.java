package io.sangdam.canned;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the filling of a canned response's variables. The customer chooses their own name, so a value must go in
 * as written: a name such as {@code {agent.name}} is not filled in turn, and the result does not depend on the order
 * the variables come in. Every variable written in the body is filled; every other brace stays as written.
 *
 * <p>Kept inputs replay in every test run; {@code scripts/fuzz CannedVariablesFuzzTest} fuzzes.
 */
class CannedVariablesFuzzTest {
  private static final List<String> NAMES = List.of("customer.name", "agent.name", "center.name");

  @FuzzTest
  void fillsVariables(FuzzedDataProvider data) {
    Map<String, String> variables = new LinkedHashMap<>();
    for (String name : NAMES) {
      variables.put(name, withVariables(data, data.consumeString(40)));
    }
    String body = withVariables(data, data.consumeRemainingAsString());

    String filled = CannedResponses.fill(body, variables);

    assertEquals(fillOnce(body, variables), filled, () -> "body " + body + " with " + variables);
    Map<String, String> reversed = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(variables.keySet());
    Collections.reverse(names);
    names.forEach(name -> reversed.put(name, variables.get(name)));
    assertEquals(filled, CannedResponses.fill(body, reversed), "the order of the variables must not matter");
  }

  /** Mixes variables, and near misses of them, into fuzzed text: plain fuzzing rarely spells one. */
  private static String withVariables(FuzzedDataProvider data, String text) {
    if (text.isEmpty() || data.remainingBytes() == 0) {
      return text;
    }
    String variable = "{" + data.pickValue(NAMES) + "}";
    String piece = data.pickValue(List.of(variable, variable.substring(1), "{" + variable + "}", "{unknown}"));
    int at = data.consumeInt(0, text.length());
    return text.substring(0, at) + piece + text.substring(at);
  }

  /** The reference: the body read once from the start; a variable's value is copied, never read again. */
  private static String fillOnce(String body, Map<String, String> variables) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    outer:
    while (i < body.length()) {
      for (Map.Entry<String, String> v : variables.entrySet()) {
        String placeholder = "{" + v.getKey() + "}";
        if (body.startsWith(placeholder, i)) {
          out.append(v.getValue());
          i += placeholder.length();
          continue outer;
        }
      }
      out.append(body.charAt(i++));
    }
    return out.toString();
  }
}
