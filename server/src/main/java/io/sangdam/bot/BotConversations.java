package io.sangdam.bot;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sangdam.bot.scenario.BotContext;
import io.sangdam.bot.scenario.BotMessage;
import io.sangdam.bot.scenario.BotState;
import io.sangdam.bot.scenario.CollectedField;
import io.sangdam.bot.scenario.FieldType;
import io.sangdam.bot.scenario.Outcome;
import io.sangdam.bot.scenario.Reply;
import io.sangdam.bot.scenario.Scenario;
import io.sangdam.bot.scenario.ScenarioEngine;
import io.sangdam.bot.scenario.Step;
import io.sangdam.chat.BotDoor;
import io.sangdam.chat.BotStanding;
import io.sangdam.chat.BotStart;
import io.sangdam.chat.BotTurns;
import io.sangdam.chat.Choice;
import io.sangdam.chat.CollectedValue;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationEvent;
import io.sangdam.chat.ConversationEvents;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversations owned by a bot: a new one whose entry has a scenario opens in {@code BOT} and is greeted, and each
 * of its customer's messages is one turn of the pure {@link ScenarioEngine}, whose answer is stored as the bot's
 * messages and whose state is kept in the database with each turn, so the next turn may run on any node and after a
 * restart. It hears the customer's messages as a subscriber of this node's own events: a conversation's messages
 * are stored, and so heard, by the node that owns its center, where every send is carried out; so each turn runs
 * once, on that node. A conversation's turns run one at a time, in the order its messages were stored, on the
 * blocking pool (they read the database and the bot's library), never on a hot thread.
 */
public final class BotConversations implements BotDoor, ConversationEvents.Subscriber {
  private static final Logger log = LoggerFactory.getLogger(BotConversations.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.regex.Pattern NUMBERED = java.util.regex.Pattern.compile("[0-9]{1,2}");

  private final BotLibrary library;
  private final BotTurns turns;
  private final Directory directory;
  private final Executor blocking;
  private final Clock clock;
  private final ScenarioEngine engine = new ScenarioEngine();
  /** Each conversation's last turn queued: the next one runs after it. Removed once a conversation's queue is empty. */
  private final ConcurrentHashMap<Long, CompletableFuture<Void>> queued = new ConcurrentHashMap<>();

  public BotConversations(BotLibrary library, BotTurns turns, Directory directory, Executor blocking, Clock clock) {
    this.library = requireNonNull(library, "library");
    this.turns = requireNonNull(turns, "turns");
    this.directory = requireNonNull(directory, "directory");
    this.blocking = requireNonNull(blocking, "blocking");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public Optional<BotStart> entry(long tenantId, Queue queue, long customerId) {
    return library.scenarioFor(tenantId, queue.centerId(), queue.id(), turns.customerChannel(customerId))
        .map(s -> new BotStart(s.id(), s.version()));
  }

  @Override
  public void opened(Conversation c) {
    inTurn(c.id(), () -> greet(c));
  }

  /** Greets it if it never was (its node stopped right after the start); else nothing until the customer writes. */
  @Override
  public void adopted(Conversation c) {
    inTurn(c.id(), () -> greet(c));
  }

  @Override
  public void on(ConversationEvent event) {
    if (event instanceof ConversationEvent.MessageStored e && e.conversation().state() == ConversationState.BOT
        && e.message().senderKind() == SenderKind.CUSTOMER && !e.message().repeated()
        // Message 1 of a customer is the text they opened with, stored before the greeting: not an answer to it.
        && e.message().seq() > 1) {
      inTurn(e.conversationId(), () -> answer(e.conversation(), e.message()));
    }
  }

  /** Queues a turn of the conversation after its turns before; a failed turn is logged, and the next runs all the same. */
  private void inTurn(long conversationId, Supplier<CompletableFuture<Void>> turn) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> before = queued.put(conversationId, mine);
    (before == null ? CompletableFuture.<Void>completedFuture(null) : before)
        .thenComposeAsync(x -> turn.get(), blocking)
        .whenComplete((x, failed) -> {
          if (failed != null) {
            log.warn("bot turn of conversation {} failed: {}", conversationId, failed.toString());
          }
          queued.remove(conversationId, mine);
          mine.complete(null);
        });
  }

  /**
   * The bot's first turn: its greeting, and wherever the scenario goes before it first waits. Once only: a
   * conversation whose state is kept was greeted already (a reply that came before this turn greeted it).
   */
  private CompletableFuture<Void> greet(Conversation c) {
    Optional<BotStanding> standing = turns.standing(c.id());
    if (standing.isEmpty() || standing.get().state() != null) {
      return CompletableFuture.completedFuture(null);
    }
    Scenario scenario = scenarioOf(c, standing.get());
    return apply(c, scenario, engine.start(scenario, context(c)));
  }

  private CompletableFuture<Void> answer(Conversation c, StoredMessage m) {
    Optional<BotStanding> standing = turns.standing(c.id());
    if (standing.isEmpty()) {
      return CompletableFuture.completedFuture(null); // handed off or ended meanwhile
    }
    if (standing.get().state() == null) {
      // Not greeted yet (the node stopped between the start and the greeting, or this message overtook the
      // greeting's turn): greet now; this message came before the greeting, so it is no answer to it.
      return greet(c);
    }
    boolean empty = (m.body() == null || m.body().isBlank()) && m.button() == null;
    if (empty) {
      return CompletableFuture.completedFuture(null);
    }
    Scenario scenario = scenarioOf(c, standing.get());
    BotState state;
    try {
      state = BotState.fromJson(JSON.readTree(standing.get().state()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("conversation " + c.id() + " has unreadable bot state", e);
    }
    return apply(c, scenario, engine.reply(scenario, state, reply(c, m), context(c)));
  }

  /**
   * The customer's reply as the engine reads it. A channel that shows no buttons of ours shows them as numbered
   * options ({@code OutboundItem.plainText}), so there a bare number is the button in that place under the bot's
   * latest message; a number past them is text, as anywhere else. A channel whose buttons send their label as the
   * customer's text (KakaoTalk's bot keyword quick replies) sends exactly a label of them: that is the button too.
   */
  private Reply reply(Conversation c, StoredMessage m) {
    if (m.button() != null || Conversation.WEB.equals(c.channel()) || m.body() == null) {
      return new Reply(m.body(), m.button());
    }
    String typed = m.body().strip();
    List<Choice> offered = turns.lastButtons(c.id());
    if (NUMBERED.matcher(typed).matches()) {
      int n = Integer.parseInt(typed);
      if (n >= 1 && n <= offered.size()) {
        return new Reply(offered.get(n - 1).label(), offered.get(n - 1).id());
      }
    }
    return offered.stream().filter(b -> b.label().equals(typed)).findFirst()
        .map(b -> new Reply(m.body(), b.id())).orElseGet(() -> new Reply(m.body(), null));
  }

  private Scenario scenarioOf(Conversation c, BotStanding standing) {
    return library.scenario(c.tenantId(), standing.scenario(), standing.version())
        .orElseThrow(() -> new IllegalStateException("conversation " + c.id() + " walks scenario "
            + standing.scenario() + " v" + standing.version() + ", which is gone"));
  }

  private BotContext context(Conversation c) {
    return new BotContext(clock.instant(), (center, at) -> center.map(code -> directory.center(c.tenantId(), code))
        .orElseGet(() -> directory.center(c.centerId())).filter(Center::enabled).map(x -> x.isOpen(at)).orElse(false),
        library.faq(c.tenantId()));
  }

  /**
   * Carries out a step: while the bot still waits, its state is kept before its messages are said (a crash in
   * between loses the bot's words, never its place: the customer's next message is read where it stands); else
   * its messages are said, then the conversation goes where the outcome says.
   */
  private CompletableFuture<Void> apply(Conversation c, Scenario scenario, Step step) {
    Outcome outcome = step.outcome();
    if (outcome instanceof Outcome.Waiting w) {
      if (!turns.keep(c.id(), w.state().toJson().toString())) {
        return CompletableFuture.completedFuture(null);
      }
      return say(c, scenario, step);
    }
    return say(c, scenario, step).thenCompose(x -> {
      if (outcome instanceof Outcome.HandOff h) {
        return turns.handOff(c.id(), queue(c, h.center(), h.queue()), values(h.fields())).thenApply(y -> null);
      } else if (outcome instanceof Outcome.InquiryLeft i) {
        return turns.leaveInquiry(c.id(), queue(c, i.center(), i.queue()), contact(i.fields()), inquiry(i.fields()))
            .thenApply(y -> null);
      }
      return turns.end(c.id()).thenApply(y -> null);
    });
  }

  private CompletableFuture<Void> say(Conversation c, Scenario scenario, Step step) {
    return turns.say(c.id(), scenario.name(), step.messages().stream().map(BotConversations::said).toList());
  }

  private static BotTurns.Said said(BotMessage m) {
    return new BotTurns.Said(m.text(), m.buttons().stream().map(b -> new Choice(b.id(), b.label())).toList());
  }

  /**
   * The queue a hand-off names, in any center of the tenant ({@code center} null: the conversation's); one that is
   * gone or disabled since the scenario was saved falls back to the conversation's own queue, so no customer is
   * left with the bot for want of one.
   */
  private Queue queue(Conversation c, String center, String queue) {
    Optional<Queue> named = (center == null ? directory.center(c.centerId()) : directory.center(c.tenantId(), center))
        .filter(Center::enabled).flatMap(x -> queue == null ? Optional.empty() : directory.queue(x.id(), queue))
        .filter(Queue::enabled);
    if (named.isEmpty()) {
      log.warn("conversation {}: the bot hands off to {}/{}, which is not open; to its own queue instead",
          c.id(), center, queue);
    }
    return named.or(() -> directory.queue(c.queueId()))
        .orElseThrow(() -> new IllegalStateException("conversation " + c.id() + " has no queue"));
  }

  private static List<CollectedValue> values(List<CollectedField> fields) {
    return fields.stream().map(f -> new CollectedValue(f.name(), f.label(), f.value(), f.shown())).toList();
  }

  /** Where the center reaches the customer back: the first phone, else e-mail, collected; empty when none was. */
  private static String contact(List<CollectedField> fields) {
    return fields.stream().filter(f -> f.type() == FieldType.PHONE).findFirst()
        .or(() -> fields.stream().filter(f -> f.type() == FieldType.EMAIL).findFirst())
        .map(CollectedField::value).orElse("");
  }

  /** The inquiry's text: every field collected, one "label: value" a line. */
  private static String inquiry(List<CollectedField> fields) {
    return fields.stream().map(f -> f.label() + ": " + f.value()).collect(Collectors.joining("\n"));
  }
}
