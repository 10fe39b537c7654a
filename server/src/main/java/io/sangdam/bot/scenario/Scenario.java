package io.sangdam.bot.scenario;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bot scenario as an admin wrote it, at one {@code version}: a conversation keeps the version it started with, so an
 * edit applies to new conversations only. An instance is always valid (see {@link ScenarioCheck}): the engine never
 * meets a button to nowhere or a loop it cannot leave.
 *
 * <p>Limits, so that one tenant's scenario stays small beside everyone's chats and fits a chat window:
 * {@value #MAX_NODES} nodes, {@value #MAX_BUTTONS} buttons a menu (KakaoTalk's quick replies stop at 10),
 * {@value #MAX_FIELDS} fields a form, labels of {@value #MAX_LABEL} characters, texts of {@value #MAX_TEXT}, ids of
 * {@value #MAX_ID} ({@code [A-Za-z0-9][A-Za-z0-9_-]*}), patterns of {@value #MAX_PATTERN}, 1 to
 * {@value #MAX_RETRIES} retries.
 */
public record Scenario(long id, int version, String name, String start, Fallback fallback, int maxRetries,
    Texts texts, Map<String, Node> nodes) {

  public static final int MAX_NODES = 200;
  public static final int MAX_BUTTONS = 10;
  public static final int MAX_FIELDS = 10;
  public static final int MAX_LABEL = 30;
  public static final int MAX_TEXT = 1000;
  public static final int MAX_ID = 40;
  public static final int MAX_PATTERN = 200;
  public static final int MAX_RETRIES = 5;
  public static final int DEFAULT_RETRIES = 2;

  /**
   * Where free text nobody understood, and a form answer still wrong after the retries, go: {@code text} is said and
   * the bot goes on to {@code next} (a menu again, or straight to an agent).
   */
  public record Fallback(String text, String next) {}

  /**
   * The bot's own words around FAQ suggestions, optional fields and "was this helpful?" in the scenario's language:
   * {@code helpful} and {@code unhelpful} label the buttons under an FAQ answer, {@code thanks} answers a helpful
   * click and {@code sorry} an unhelpful one (before the fallback).
   */
  public record Texts(String suggest, String noneOfThese, String skip, String helpful, String unhelpful,
      String thanks, String sorry) {
    public static final Texts KOREAN = new Texts("혹시 아래 질문 중에 찾으시는 내용이 있나요?", "찾는 내용이 없어요", "건너뛰기",
        "도움이 됐어요", "도움이 안 됐어요", "의견 감사합니다. 더 궁금하신 점이 있으면 말씀해 주세요.", "도움이 되지 못해 죄송해요.");
  }

  public Scenario {
    requireNonNull(name, "name");
    requireNonNull(start, "start");
    requireNonNull(fallback, "fallback");
    requireNonNull(texts, "texts");
    requireNonNull(nodes, "nodes");
    if (version < 1) {
      throw new IllegalArgumentException("version must be 1 or more");
    }
    nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    List<ScenarioProblem> problems = ScenarioCheck.problems(start, fallback, maxRetries, nodes);
    if (!problems.isEmpty()) {
      throw new InvalidScenarioException(problems);
    }
  }

  /**
   * Reads an admin's scenario JSON (docs/protocol.md 3.22), refusing it with every problem found, each naming its
   * node.
   */
  public static Scenario parse(JsonNode body, long id, int version) {
    return new ScenarioReader(body).read(id, version);
  }

  /**
   * The nodes that name a center or queue the tenant does not have, as {@link InvalidScenarioException} would list
   * them: checked when a scenario is saved, since a queue may be removed later (routing then refuses the hand-off).
   */
  public List<ScenarioProblem> problemsWith(Targets targets) {
    List<ScenarioProblem> problems = new ArrayList<>();
    for (Node node : nodes.values()) {
      String center = null;
      String queue = null;
      if (node instanceof Node.Hours hours) {
        center = hours.center();
      } else if (node instanceof Node.Handoff handoff) {
        center = handoff.center();
        queue = handoff.queue();
      } else if (node instanceof Node.Inquiry inquiry) {
        center = inquiry.center();
        queue = inquiry.queue();
      } else if (node instanceof Node.Callback callback) {
        center = callback.center();
        queue = callback.queue();
      }
      if (center != null && !targets.hasCenter(center)) {
        problems.add(new ScenarioProblem(node.id(), "center", "names no center '" + center + "' of this tenant"));
      } else if (queue != null && !targets.hasQueue(Optional.ofNullable(center), queue)) {
        problems.add(new ScenarioProblem(node.id(), "queue", "names no queue '" + queue + "' of "
            + (center == null ? "this center" : "center '" + center + "'")));
      }
    }
    return problems;
  }

  /** The node of that id; the caller holds an id from this scenario (a state of its version, an exit). */
  public Node node(String nodeId) {
    Node node = nodes.get(nodeId);
    if (node == null) {
      throw new IllegalArgumentException("scenario " + id + " v" + version + " has no node '" + nodeId + "'");
    }
    return node;
  }
}
