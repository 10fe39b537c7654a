package io.sangdam.bot.scenario;

import static java.util.Objects.requireNonNull;

import io.sangdam.callback.PhoneNumbers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Walks a conversation through its scenario, one customer reply at a time, as a pure function: the scenario, the
 * stored {@link BotState} and the reply in, what the bot says and the next state or the hand-on out. It keeps nothing
 * between calls, so any node can take the next turn. Every reply leads somewhere: at a menu or FAQ node a button not
 * offered is read as text, and text goes to the FAQ and then the fallback; at a form an answer that does not read (or
 * a click other than skip) is asked again, and after the retries goes to the fallback.
 *
 * <p>Button ids of the bot's own begin with {@code _}, which scenario ids cannot: {@code _faq1} to {@code _faq3} for
 * FAQ suggestions, {@code _none} for "none of these", {@code _skip} for an optional field, {@code _helpful} and
 * {@code _unhelpful} under an FAQ answer.
 *
 * <p>"Was this helpful?": an FAQ answer (a confident match, or a suggestion the customer chose) carries the two
 * buttons when the bot waits after it, and the state keeps which entry it answered until the next turn. A helpful
 * click is thanked and the bot asks again what it was asking; an unhelpful one is met with an apology and the
 * scenario's fallback (the way to an agent, or whatever else the scenario's author chose). Text instead of a click
 * is read as any other reply. A rating click with no answer awaiting it (a stale button) is answered the same way but
 * counts nothing. What a turn did with the FAQ is said in the step's {@link BotFact}s.
 */
public final class ScenarioEngine {
  /** The longest text handed to the FAQ matcher, in characters: questions are short, and matching costs per word. */
  public static final int MAX_QUESTION = 500;
  static final String NONE = "_none";
  static final String SKIP = "_skip";
  static final String HELPFUL = "_helpful";
  static final String UNHELPFUL = "_unhelpful";
  private static final String SUGGESTION = "_faq";
  private static final int MAX_SUGGESTIONS = 3;
  /** A callback node's slot buttons: {@code _slot} and the slot's start in minutes since the epoch. */
  static final String SLOT = "_slot";
  /** The most slots offered at once, below the buttons a KakaoTalk message carries. */
  static final int MAX_SLOTS = 8;
  static final String SLOT_FIELD = "callbackSlot";
  static final String PHONE_FIELD = "callbackPhone";
  private static final String SLOT_LABEL = "콜백 희망 시간";
  private static final String PHONE_LABEL = "콜백 연락처";
  static final String ASK = "상담원이 전화드릴 시간을 골라 주세요.";
  static final String PHONE_PROMPT = "전화받으실 휴대폰 번호를 알려 주세요. (예: 010-1234-5678)";
  static final String SLOT_GONE = "고르신 시간이 지나서 예약할 수 없어요. 다시 골라 주세요.";
  static final String NO_SLOTS = "지금은 예약할 수 있는 통화 시간이 없어요.";
  /** The end of a conversation whose callback node had no slot to offer and nowhere else to go. */
  static final String NO_SLOTS_REASON = "no_callback_slot";
  /** The reason of an end the external bot chose. */
  static final String EXTERNAL_END = "externalBot";

  /** The bot's first turn in a new conversation: from the scenario's start to the first node that waits or ends. */
  public Step start(Scenario scenario, BotContext context) {
    requireNonNull(scenario, "scenario");
    requireNonNull(context, "context");
    BotState blank = new BotState(scenario.id(), scenario.version(), scenario.start(), 0, 0, List.of(), List.of());
    return new Turn(scenario, context, blank).enter(scenario.start());
  }

  /**
   * The bot's answer to a reply. {@code state} must be of this scenario and version (the caller loads the version the
   * conversation started on); anything else is a programming error, refused.
   */
  public Step reply(Scenario scenario, BotState state, Reply reply, BotContext context) {
    requireNonNull(scenario, "scenario");
    requireNonNull(state, "state");
    requireNonNull(reply, "reply");
    requireNonNull(context, "context");
    if (state.scenario() != scenario.id() || state.version() != scenario.version()) {
      throw new IllegalArgumentException("state of scenario " + state.scenario() + " v" + state.version()
          + " given to scenario " + scenario.id() + " v" + scenario.version());
    }
    Turn turn = new Turn(scenario, context, state);
    Node node = scenario.node(state.node());
    boolean rating = HELPFUL.equals(reply.button()) || UNHELPFUL.equals(reply.button());
    if (node instanceof Node.Menu menu) {
      return rating ? turn.rated(menu, reply) : turn.atMenu(menu, reply);
    } else if (node instanceof Node.Form form) {
      if (state.field() >= form.fields().size()) {
        throw new IllegalArgumentException("state asks field " + state.field() + " of form '" + form.id()
            + "', which has " + form.fields().size());
      }
      return rating ? turn.rated(form, reply) : turn.atForm(form, reply);
    } else if (node instanceof Node.Faq faq) {
      return rating ? turn.rated(faq, reply) : turn.atFaq(faq, reply);
    } else if (node instanceof Node.Callback callback) {
      return turn.atCallback(callback, reply);
    } else if (node instanceof Node.ExternalBot) {
      throw new IllegalArgumentException("state waits at node '" + state.node() + "', where the external bot "
          + "answers the customer: its answer is given to answered()");
    }
    throw new IllegalArgumentException("state waits at node '" + state.node() + "', a " + node.type()
        + " node, which never waits");
  }

  /**
   * The bot's turn when the conversation is at an {@code externalBot} node: what that bot answered the customer's
   * message, or that it failed. {@code state} must wait at such a node of this scenario and version.
   */
  public Step answered(Scenario scenario, BotState state, ExternalAnswer answer, BotContext context) {
    requireNonNull(scenario, "scenario");
    requireNonNull(state, "state");
    requireNonNull(answer, "answer");
    requireNonNull(context, "context");
    if (state.scenario() != scenario.id() || state.version() != scenario.version()
        || !(scenario.node(state.node()) instanceof Node.ExternalBot bot)) {
      throw new IllegalArgumentException("state at node '" + state.node() + "' of scenario " + state.scenario() + " v"
          + state.version() + " is at no externalBot node of scenario " + scenario.id() + " v" + scenario.version());
    }
    return new Turn(scenario, context, state).atExternalBot(bot, answer);
  }

  /** One turn's work: the messages said so far and the state it started from. */
  private static final class Turn {
    private final Scenario scenario;
    private final BotContext context;
    private final BotState state;
    private final List<BotMessage> said = new ArrayList<>();
    private final List<BotFact> facts = new ArrayList<>();
    private List<CollectedField> collected;
    /** The FAQ entry answered in this turn, and where its answer is in {@link #said}; null and -1 when none was. */
    private String answered;
    private int answerAt = -1;

    Turn(Scenario scenario, BotContext context, BotState state) {
      this.scenario = scenario;
      this.context = context;
      this.state = state;
      this.collected = state.fields();
    }

    Step atMenu(Node.Menu menu, Reply reply) {
      Optional<Step> suggestion = chosenSuggestion(reply, () -> again(menu));
      if (suggestion.isPresent()) {
        return suggestion.get();
      }
      if (reply.button() != null) {
        if (reply.button().equals(NONE) && !state.suggestions().isEmpty()) {
          return fallback();
        }
        Optional<Node.MenuButton> button = menu.button(reply.button());
        if (button.isPresent()) {
          return enter(button.get().next());
        }
      }
      FaqMatcher.Verdict verdict = context.faq().match(question(reply.asText()));
      if (verdict instanceof FaqMatcher.Confident confident) {
        answer(confident.entry());
        return again(menu);
      }
      if (verdict instanceof FaqMatcher.Unsure unsure && !unsure.closest().isEmpty()) {
        asked(BotFact.FaqResult.SUGGESTED);
        return suggest(unsure, 0);
      }
      asked(BotFact.FaqResult.UNANSWERED);
      return fallback();
    }

    Step atFaq(Node.Faq faq, Reply reply) {
      Optional<Step> suggestion = chosenSuggestion(reply, () -> enter(faq.confident()));
      if (suggestion.isPresent()) {
        return suggestion.get();
      }
      if (NONE.equals(reply.button()) && !state.suggestions().isEmpty()) {
        return enter(faq.unsure());
      }
      FaqMatcher.Verdict verdict = context.faq().match(question(reply.asText()));
      if (verdict instanceof FaqMatcher.Confident confident) {
        answer(confident.entry());
        return enter(faq.confident());
      }
      if (verdict instanceof FaqMatcher.Unsure unsure && !unsure.closest().isEmpty()) {
        // A question asked again after suggestions is a retry; past the limit the unsure exit takes over.
        int retries = state.suggestions().isEmpty() ? 0 : state.retries() + 1;
        if (retries > scenario.maxRetries()) {
          asked(BotFact.FaqResult.UNANSWERED);
          return enter(faq.unsure());
        }
        asked(BotFact.FaqResult.SUGGESTED);
        return suggest(unsure, retries);
      }
      asked(BotFact.FaqResult.UNANSWERED);
      return enter(faq.nothing());
    }

    /**
     * A click on "was this helpful?" at a node that waits: counted against the entry answered last turn, if any;
     * helpful is thanked and the node asks again, unhelpful is met with an apology and the fallback.
     */
    Step rated(Node node, Reply reply) {
      boolean helpful = HELPFUL.equals(reply.button());
      if (state.answered() != null) {
        facts.add(new BotFact.Rated(state.answered(), helpful));
      }
      if (!helpful) {
        say(scenario.texts().sorry());
        return fallback();
      }
      say(scenario.texts().thanks());
      if (node instanceof Node.Menu menu) {
        return again(menu);
      } else if (node instanceof Node.Form form) {
        FormField field = form.fields().get(state.field());
        said.add(new BotMessage(field.prompt(), skipButton(field)));
        return waiting(state.at(form.id(), state.field(), state.retries(), collected, List.of()));
      }
      // reply() hands over menus, forms and FAQ nodes only: the nodes that wait.
      Node.Faq faq = (Node.Faq) node;
      say(faq.text());
      return waiting(state.at(faq.id(), 0, 0, collected, List.of()));
    }

    Step atForm(Node.Form form, Reply reply) {
      FormField field = form.fields().get(state.field());
      if (SKIP.equals(reply.button()) && !field.required()) {
        return nextField(form, state.field() + 1);
      }
      // A click is never an answer to a typed question: a button from an earlier message (this form offers none but
      // skip) re-asks rather than being kept as, say, a name "상담원 연결".
      Optional<String> value = reply.button() == null ? field.read(reply.text()) : Optional.empty();
      if (value.isPresent()) {
        List<CollectedField> kept = new ArrayList<>();
        collected.stream().filter(f -> !f.name().equals(field.name())).forEach(kept::add);
        kept.add(new CollectedField(field.name(), field.label(), field.type(), value.get(), field.personal()));
        collected = List.copyOf(kept);
        return nextField(form, state.field() + 1);
      }
      int retries = state.retries() + 1;
      if (retries > scenario.maxRetries()) {
        return fallback();
      }
      said.add(new BotMessage(field.retryMessage(), skipButton(field)));
      return waiting(state.at(form.id(), state.field(), retries, collected, List.of()));
    }

    Step atExternalBot(Node.ExternalBot bot, ExternalAnswer answer) {
      if (answer instanceof ExternalAnswer.Answered a) {
        said.addAll(a.messages());
        List<CollectedField> kept = new ArrayList<>();
        collected.stream().filter(f -> a.fields().stream().noneMatch(g -> g.name().equals(f.name())))
            .forEach(kept::add);
        kept.addAll(a.fields());
        collected = List.copyOf(kept);
        return switch (a.action()) {
          case WAIT -> waiting(state.at(bot.id(), 0, 0, collected, List.of()));
          case END -> new Step(said, new Outcome.Ended(EXTERNAL_END, collected));
          case HANDOFF -> a.queue() == null ? enter(bot.next())
              : new Step(said, new Outcome.HandOff(a.queue(), a.center(), collected));
        };
      }
      return enter(bot.failure());
    }

    /**
     * At a callback node: first a slot (one of the buttons offered, still offered now), then the mobile number;
     * either asked again when it does not read, the fallback after the retries. A slot gone by the time the number
     * comes is offered anew rather than kept.
     */
    Step atCallback(Node.Callback callback, Reply reply) {
      List<CallbackTimes.Slot> slots = context.callbackTimes().slots(Optional.ofNullable(callback.center()));
      if (state.field() == 0) {
        Optional<CallbackTimes.Slot> chosen = slots.stream()
            .filter(slot -> slotButton(slot).equals(reply.button())).findFirst();
        if (chosen.isEmpty()) {
          return state.retries() + 1 > scenario.maxRetries() ? fallback() : offerSlots(callback, state.retries() + 1);
        }
        List<CollectedField> kept = new ArrayList<>(collected.stream()
            .filter(f -> !f.name().equals(SLOT_FIELD)).toList());
        kept.add(new CollectedField(SLOT_FIELD, SLOT_LABEL, FieldType.TEXT, chosen.get().at().toString(), false));
        collected = List.copyOf(kept);
        Optional<CollectedField> phone = collected.stream().filter(f -> f.type() == FieldType.PHONE).findFirst();
        if (phone.isPresent()) {
          return leaveCallback(callback, chosen.get().at(), phone.get().value());
        }
        said.add(BotMessage.text(PHONE_PROMPT));
        return waiting(state.at(callback.id(), 1, 0, collected, List.of()));
      }
      Instant slot = collected.stream().filter(f -> f.name().equals(SLOT_FIELD)).findFirst()
          .map(f -> Instant.parse(f.value())).orElseThrow(() -> new IllegalArgumentException(
              "state asks the number at callback node '" + callback.id() + "' with no slot chosen"));
      Optional<String> phone = reply.button() == null ? PhoneNumbers.mobile(reply.text()) : Optional.empty();
      if (phone.isEmpty()) {
        if (state.retries() + 1 > scenario.maxRetries()) {
          // The slot is the request's, not the customer's answer to anyone: whoever the fallback leads to never sees it.
          collected = collected.stream().filter(f -> !f.name().equals(SLOT_FIELD)).toList();
          return fallback();
        }
        said.add(BotMessage.text(FieldType.PHONE.defaultMessage()));
        return waiting(state.at(callback.id(), 1, state.retries() + 1, collected, List.of()));
      }
      List<CollectedField> kept = new ArrayList<>(collected);
      kept.add(new CollectedField(PHONE_FIELD, PHONE_LABEL, FieldType.PHONE, phone.get(), true));
      collected = List.copyOf(kept);
      if (slots.stream().noneMatch(s -> s.at().equals(slot))) {
        say(SLOT_GONE);
        return offerSlots(callback, 0);
      }
      return leaveCallback(callback, slot, phone.get());
    }

    /** The slots as buttons with the node's question; with none to offer, the fallback. */
    private Step offerSlots(Node.Callback callback, int retries) {
      List<CallbackTimes.Slot> slots = context.callbackTimes().slots(Optional.ofNullable(callback.center()));
      if (slots.isEmpty()) {
        say(NO_SLOTS);
        // A fallback that leads straight back here would offer nothing again, and again: the bot's part ends.
        return scenario.fallback().next().equals(callback.id())
            ? new Step(said, new Outcome.Ended(NO_SLOTS_REASON, collected), facts) : enter(scenario.fallback().next());
      }
      List<Button> buttons = slots.stream().limit(MAX_SLOTS).map(s -> new Button(slotButton(s), s.label())).toList();
      said.add(new BotMessage(callback.ask() != null ? callback.ask() : ASK, buttons));
      return waiting(state.at(callback.id(), 0, retries, collected, List.of()));
    }

    private Step leaveCallback(Node.Callback callback, Instant slot, String phone) {
      sayIfAny(callback.text());
      return new Step(said, new Outcome.CallbackLeft(callback.queue(), callback.center(), slot, phone, collected),
          facts);
    }

    /** Goes to {@code nodeId} and on through nodes that pass through, to one that waits or finishes. */
    Step enter(String nodeId) {
      String id = nodeId;
      // ScenarioCheck refuses loops that never wait, so this bound is only a guard against a check gone wrong.
      for (int hops = 0; hops <= scenario.nodes().size(); hops++) {
        Node node = scenario.node(id);
        if (node instanceof Node.Message message) {
          say(message.text());
          id = message.next();
        } else if (node instanceof Node.Hours hours) {
          id = context.hours().isOpen(Optional.ofNullable(hours.center()), context.now()) ? hours.open()
              : hours.closed();
        } else if (node instanceof Node.ExternalBot bot) {
          // Silent until the customer writes: what they write is the external bot's to answer.
          return waiting(state.at(bot.id(), 0, 0, collected, List.of()));
        } else if (node instanceof Node.Menu menu) {
          return again(menu);
        } else if (node instanceof Node.Form form) {
          sayIfAny(form.text());
          return nextField(form, 0);
        } else if (node instanceof Node.Faq faq) {
          say(faq.text());
          return waiting(state.at(faq.id(), 0, 0, collected, List.of()));
        } else if (node instanceof Node.Handoff handoff) {
          sayIfAny(handoff.text());
          return new Step(said, new Outcome.HandOff(handoff.queue(), handoff.center(), collected), facts);
        } else if (node instanceof Node.Inquiry inquiry) {
          sayIfAny(inquiry.text());
          return new Step(said, new Outcome.InquiryLeft(inquiry.queue(), inquiry.center(), collected), facts);
        } else if (node instanceof Node.Callback callback) {
          return offerSlots(callback, 0);
        } else if (node instanceof Node.End end) {
          sayIfAny(end.text());
          return new Step(said, new Outcome.Ended(end.reason(), collected), facts);
        }
      }
      throw new IllegalStateException("scenario " + scenario.id() + " v" + scenario.version()
          + " passes on from node '" + nodeId + "' without waiting");
    }

    /** The menu said again, its buttons offered, retries and suggestions cleared. */
    private Step again(Node.Menu menu) {
      said.add(new BotMessage(menu.text(), menu.wireButtons()));
      return waiting(state.at(menu.id(), 0, 0, collected, List.of()));
    }

    private Step nextField(Node.Form form, int index) {
      if (index >= form.fields().size()) {
        return enter(form.next());
      }
      FormField field = form.fields().get(index);
      said.add(new BotMessage(field.prompt(), skipButton(field)));
      return waiting(state.at(form.id(), index, 0, collected, List.of()));
    }

    private Step suggest(FaqMatcher.Unsure unsure, int retries) {
      List<FaqMatcher.Entry> offered = unsure.closest().subList(0, Math.min(MAX_SUGGESTIONS, unsure.closest().size()));
      List<Button> buttons = new ArrayList<>();
      for (int i = 0; i < offered.size(); i++) {
        buttons.add(new Button(SUGGESTION + (i + 1), label(offered.get(i).question())));
      }
      buttons.add(new Button(NONE, scenario.texts().noneOfThese()));
      said.add(new BotMessage(scenario.texts().suggest(), buttons));
      return waiting(state.at(state.node(), 0, retries, collected, offered));
    }

    /** The answer to a suggestion the customer chose, then {@code after}; empty when the reply chose none. */
    private Optional<Step> chosenSuggestion(Reply reply, Supplier<Step> after) {
      String button = reply.button();
      List<FaqMatcher.Entry> offered = state.suggestions();
      for (int i = 0; i < offered.size(); i++) {
        if ((SUGGESTION + (i + 1)).equals(button)) {
          facts.add(new BotFact.FaqChosen(offered.get(i).id()));
          sayAnswer(offered.get(i));
          return Optional.of(after.get());
        }
      }
      return Optional.empty();
    }

    private Step fallback() {
      say(scenario.fallback().text());
      return enter(scenario.fallback().next());
    }

    /**
     * The bot waits at {@code next}. An FAQ answer said this turn gets the helpful buttons and is remembered, so that
     * a click on them is counted against its entry; an answer followed by a hand-off or an end gets none, since no
     * click could reach the bot.
     */
    private Step waiting(BotState next) {
      if (answered == null) {
        return new Step(said, new Outcome.Waiting(next), facts);
      }
      said.set(answerAt, new BotMessage(said.get(answerAt).text(), List.of(
          new Button(HELPFUL, scenario.texts().helpful()), new Button(UNHELPFUL, scenario.texts().unhelpful()))));
      return new Step(said, new Outcome.Waiting(next.awaitingRating(answered)), facts);
    }

    /** A confident match answered. */
    private void answer(FaqMatcher.Entry entry) {
      facts.add(new BotFact.FaqAsked(BotFact.FaqResult.ANSWERED, entry.id()));
      sayAnswer(entry);
    }

    private void asked(BotFact.FaqResult result) {
      facts.add(new BotFact.FaqAsked(result, null));
    }

    private void sayAnswer(FaqMatcher.Entry entry) {
      say(entry.answer());
      answered = entry.id();
      answerAt = said.size() - 1;
    }

    private void say(String text) {
      said.add(BotMessage.text(text));
    }

    private void sayIfAny(String text) {
      if (text != null) {
        say(text);
      }
    }

    private List<Button> skipButton(FormField field) {
      return field.required() ? List.of() : List.of(new Button(SKIP, scenario.texts().skip()));
    }
  }

  static String slotButton(CallbackTimes.Slot slot) {
    return SLOT + slot.at().getEpochSecond() / 60;
  }

  /** The first {@link #MAX_QUESTION} characters, never cutting a character in half. */
  static String question(String text) {
    int length = text.codePointCount(0, text.length());
    return length <= MAX_QUESTION ? text : text.substring(0, text.offsetByCodePoints(0, MAX_QUESTION));
  }

  /** An FAQ question as a button label: buttons carry short labels, so a long question is cut with an ellipsis. */
  static String label(String question) {
    int length = question.codePointCount(0, question.length());
    return length <= Scenario.MAX_LABEL ? question
        : question.substring(0, question.offsetByCodePoints(0, Scenario.MAX_LABEL - 1)) + "…";
  }
}
