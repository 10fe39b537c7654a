package io.sangdam.bot.scenario;

/**
 * One thing wrong with a scenario, as REST's 422 names it: the node at fault ({@code null} for the scenario's own
 * fields such as {@code start} or {@code fallback}), the field path inside it ({@code buttons[1].next}) and why.
 */
public record ScenarioProblem(String node, String field, String message) {

  /** "node 'menu' field 'buttons[1].next' names no node 'nowhere'", the form of every message a client sees. */
  @Override
  public String toString() {
    String where = node == null ? "scenario" : "node '" + node + "'";
    return field == null || field.isEmpty() ? where + " " + message : where + " field '" + field + "' " + message;
  }
}
