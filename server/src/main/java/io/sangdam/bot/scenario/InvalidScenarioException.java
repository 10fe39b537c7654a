package io.sangdam.bot.scenario;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.util.List;

/**
 * A scenario refused: 422 {@code invalid_field}, the message naming the first problem's node and the list holding
 * every problem found, so an admin fixes them in one round rather than one per save.
 */
public final class InvalidScenarioException extends SangdamException {
  private final List<ScenarioProblem> problems;

  public InvalidScenarioException(List<ScenarioProblem> problems) {
    super(ErrorCode.INVALID_FIELD, summary(problems));
    this.problems = List.copyOf(problems);
  }

  public List<ScenarioProblem> problems() {
    return problems;
  }

  private static String summary(List<ScenarioProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a refused scenario has at least one problem");
    }
    String first = problems.get(0).toString();
    return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more)";
  }
}
