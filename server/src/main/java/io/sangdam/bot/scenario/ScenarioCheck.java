package io.sangdam.bot.scenario;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks over a scenario's graph, so that no conversation can be stranded: every exit names a node; every node
 * can be reached from {@code start}; every node can, through its own exits, reach a handoff, an inquiry or an end (the
 * fallback does not count: a menu whose buttons only lead back to itself is a trap even if typing would get out); and
 * no loop of pass-through nodes (message, hours, external bot) runs without waiting for the customer.
 *
 * <p>An unreachable node is refused rather than warned about: it is nearly always an exit misspelt elsewhere, and an
 * admin saving a draft can leave it out until it is linked.
 */
final class ScenarioCheck {
  private ScenarioCheck() {}

  static List<ScenarioProblem> problems(String start, Scenario.Fallback fallback, int maxRetries,
      Map<String, Node> nodes) {
    List<ScenarioProblem> problems = new ArrayList<>();
    if (nodes.isEmpty()) {
      problems.add(new ScenarioProblem(null, "nodes", "must have at least one node"));
    }
    if (nodes.size() > Scenario.MAX_NODES) {
      problems.add(new ScenarioProblem(null, "nodes", "must have at most " + Scenario.MAX_NODES + " nodes"));
      return problems;
    }
    if (maxRetries < 1 || maxRetries > Scenario.MAX_RETRIES) {
      problems.add(new ScenarioProblem(null, "maxRetries", "must be from 1 to " + Scenario.MAX_RETRIES));
    }
    nodes.forEach((key, node) -> {
      if (!key.equals(node.id())) {
        throw new IllegalArgumentException("node '" + node.id() + "' is held under '" + key + "'");
      }
    });
    boolean startKnown = nodes.containsKey(start);
    if (!startKnown) {
      problems.add(new ScenarioProblem(null, "start", "names no node '" + start + "'"));
    }
    boolean fallbackKnown = nodes.containsKey(fallback.next());
    if (!fallbackKnown) {
      problems.add(new ScenarioProblem(null, "fallback.next", "names no node '" + fallback.next() + "'"));
    }
    boolean exitsKnown = true;
    for (Node node : nodes.values()) {
      for (Node.Exit exit : node.exits()) {
        if (!nodes.containsKey(exit.target())) {
          problems.add(new ScenarioProblem(node.id(), exit.field(), "names no node '" + exit.target() + "'"));
          exitsKnown = false;
        }
      }
    }
    if (!startKnown || !fallbackKnown || !exitsKnown) {
      // The rest walks the graph, which needs every edge to land; the admin fixes these first.
      return problems;
    }
    Set<String> reached = reachable(start, fallback.next(), nodes);
    for (Node node : nodes.values()) {
      if (!reached.contains(node.id())) {
        problems.add(new ScenarioProblem(node.id(), "", "cannot be reached from start '" + start + "'"));
      }
    }
    Set<String> leaving = canFinish(nodes);
    for (Node node : nodes.values()) {
      if (!leaving.contains(node.id())) {
        problems.add(new ScenarioProblem(node.id(), "",
            "cannot lead to a handoff, inquiry or end: it is in a cycle with no exit"));
      }
    }
    for (String id : passThroughLoop(nodes)) {
      problems.add(new ScenarioProblem(id, "",
          "is in a loop of message, hours or externalBot nodes that never waits for the customer"));
    }
    return problems;
  }

  /** From {@code start}; the fallback is reachable from any node that waits, since any reply may end there. */
  private static Set<String> reachable(String start, String fallbackNext, Map<String, Node> nodes) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(start);
    boolean fallbackAdded = false;
    while (!todo.isEmpty()) {
      String id = todo.poll();
      if (!seen.add(id)) {
        continue;
      }
      Node node = nodes.get(id);
      node.exits().forEach(exit -> todo.add(exit.target()));
      if (node.waits() && !fallbackAdded) {
        todo.add(fallbackNext);
        fallbackAdded = true;
      }
    }
    return seen;
  }

  /** The nodes from which some path of exits reaches a node that finishes: a walk backwards from those. */
  private static Set<String> canFinish(Map<String, Node> nodes) {
    Map<String, List<String>> into = new HashMap<>();
    Deque<String> todo = new ArrayDeque<>();
    for (Node node : nodes.values()) {
      node.exits().forEach(exit -> into.computeIfAbsent(exit.target(), k -> new ArrayList<>()).add(node.id()));
      if (node.finishes()) {
        todo.add(node.id());
      }
    }
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String id = todo.poll();
      if (seen.add(id)) {
        todo.addAll(into.getOrDefault(id, List.of()));
      }
    }
    return seen;
  }

  /** The nodes on some cycle made only of pass-through nodes, found by a depth-first walk of those alone. */
  private static Set<String> passThroughLoop(Map<String, Node> nodes) {
    Set<String> onLoop = new java.util.LinkedHashSet<>();
    Map<String, Integer> state = new HashMap<>(); // 1: on the current path, 2: done
    for (Node node : nodes.values()) {
      if (passesThrough(node) && !state.containsKey(node.id())) {
        walk(node.id(), nodes, state, new ArrayDeque<>(), onLoop);
      }
    }
    return onLoop;
  }

  private static void walk(String id, Map<String, Node> nodes, Map<String, Integer> state, Deque<String> path,
      Set<String> onLoop) {
    state.put(id, 1);
    path.push(id);
    for (Node.Exit exit : nodes.get(id).exits()) {
      Node next = nodes.get(exit.target());
      if (!passesThrough(next)) {
        continue;
      }
      Integer seen = state.get(next.id());
      if (seen == null) {
        walk(next.id(), nodes, state, path, onLoop);
      } else if (seen == 1) {
        // The path from next back to here is the loop.
        for (String member : path) {
          onLoop.add(member);
          if (member.equals(next.id())) {
            break;
          }
        }
      }
    }
    path.pop();
    state.put(id, 2);
  }

  private static boolean passesThrough(Node node) {
    return !node.waits() && !node.finishes();
  }
}
