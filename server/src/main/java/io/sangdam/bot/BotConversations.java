package io.sangdam.bot;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sangdam.bot.scenario.BotContext;
import io.sangdam.bot.scenario.BotFact;
import io.sangdam.bot.scenario.BotMessage;
import io.sangdam.bot.scenario.BotState;
import io.sangdam.bot.scenario.CallbackTimes;
import io.sangdam.bot.scenario.CollectedField;
import io.sangdam.bot.scenario.ExternalAnswer;
import io.sangdam.bot.scenario.FieldType;
import io.sangdam.bot.scenario.Node;
import io.sangdam.bot.scenario.Outcome;
import io.sangdam.bot.scenario.Reply;
import io.sangdam.bot.scenario.Scenario;
import io.sangdam.bot.scenario.ScenarioEngine;
import io.sangdam.bot.scenario.Step;
import io.sangdam.callback.CallbackSlots;
import io.sangdam.callback.Callbacks;
import io.sangdam.chat.BotDoor;
import io.sangdam.chat.BotStanding;
import io.sangdam.chat.BotStart;
import io.sangdam.chat.BotTally;
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
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.routing.Timers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 *
 * <p>At an {@code externalBot} node each customer message is POSTed to the tenant's external bot within the
 * message's turn, so the bot hears a conversation's messages in order and its answers are said in order; the turn
 * waits for the answer (the endpoint's timeout at most) without holding a thread. A bot that answers 202 replies
 * later over REST ({@link #reply}), as a turn of its own; a reply that does not come within the endpoint's bound
 * takes the failure exit. Which requests await a reply is kept on this node only: after a restart, or when another
 * node takes the center up, the next customer message is POSTed anew and a reply to an earlier one is refused.
 */
public final class BotConversations implements BotDoor, ConversationEvents.Subscriber {
  private static final Logger log = LoggerFactory.getLogger(BotConversations.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A callback slot's button, as a customer in Korea reads a date: {@code 12월 8일 (화) 09:00}. */
  private static final DateTimeFormatter SLOT_LABEL = DateTimeFormatter.ofPattern("M월 d일 (E) HH:mm", Locale.KOREAN);
  private static final java.util.regex.Pattern NUMBERED = java.util.regex.Pattern.compile("[0-9]{1,2}");

  private final BotLibrary library;
  private final BotTurns turns;
  private final Directory directory;
  private final Executor blocking;
  private final Clock clock;
  private final BotEndpoints endpoints;
  private final ExternalBots external;
  private final AwaitedReplies awaited;
  private final Callbacks callbacks;
  private final ScenarioEngine engine = new ScenarioEngine();
  /** Each conversation's last turn queued: the next one runs after it. Removed once a conversation's queue is empty. */
  private final ConcurrentHashMap<Long, CompletableFuture<Void>> queued = new ConcurrentHashMap<>();

  public BotConversations(BotLibrary library, BotTurns turns, Directory directory, BotEndpoints endpoints,
      ExternalBots external, Callbacks callbacks, Timers timers, Executor blocking, Clock clock) {
    this.callbacks = requireNonNull(callbacks, "callbacks");
    this.library = requireNonNull(library, "library");
    this.endpoints = requireNonNull(endpoints, "endpoints");
    this.external = requireNonNull(external, "external");
    this.awaited = new AwaitedReplies(timers);
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

  /**
   * Greets it if it never was (its node stopped right after the start); else answers, in order, what its customer
   * wrote after the last message a turn was kept for: stored just before its node stopped or its center moved here,
   * its turn never ran. Turns on messages stored here meanwhile queue behind, and find them answered.
   */
  @Override
  public void adopted(Conversation c) {
    inTurn(c.id(), () -> catchUp(c));
  }

  @Override
  public void on(ConversationEvent event) {
    if (event instanceof ConversationEvent.MessageStored e && e.conversation().state() == ConversationState.BOT
        && e.message().senderKind() == SenderKind.CUSTOMER && !e.message().repeated()) {
      // The text a customer opened with (message 1, stored before the greeting) greets them, as the start does: the
      // greeting counts it as answered, or, at an external bot's node, asks that bot.
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
    Step step = engine.start(scenario, context(c));
    // What the customer wrote before the greeting is no answer to it: counted as answered.
    long answered = turns.lastCustomerSeq(c.id());
    // A scenario that gives the conversation to an external bot at once (a channel handed to it whole): the text
    // the customer opened with is the first message that bot hears, and is answered when that bot answers it.
    if (step.outcome() instanceof Outcome.Waiting w && scenario.node(w.state().node()) instanceof Node.ExternalBot bot) {
      Optional<StoredMessage> opening = turns.opening(c.id());
      return apply(c, scenario, step, opening.map(m -> m.seq() - 1).orElse(answered)).thenCompose(x -> opening
          .filter(m -> m.body() != null && !m.body().isBlank())
          .map(m -> ask(c, scenario, w.state(), bot, m, Reply.text(m.body())))
          .orElse(CompletableFuture.completedFuture(null)));
    }
    return apply(c, scenario, step, answered).thenApply(x -> null);
  }

  /** The greeting if it is owed, else a turn on each customer message after the last one answered, in order. */
  private CompletableFuture<Void> catchUp(Conversation c) {
    Optional<BotStanding> standing = turns.standing(c.id());
    if (standing.isEmpty() || standing.get().state() == null) {
      return greet(c);
    }
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (StoredMessage m : turns.unanswered(c.id(), standing.get().answered())) {
      chain = chain.thenCompose(x -> answer(c, m));
    }
    return chain;
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
    if (m.seq() <= standing.get().answered()) {
      return CompletableFuture.completedFuture(null); // answered already, by a catch-up or another node
    }
    boolean empty = (m.body() == null || m.body().isBlank()) && m.button() == null;
    if (empty) {
      return CompletableFuture.completedFuture(null);
    }
    Scenario scenario = scenarioOf(c, standing.get());
    BotState state = stateOf(c.id(), standing.get());
    if (scenario.node(state.node()) instanceof Node.ExternalBot bot) {
      return ask(c, scenario, state, bot, m, offered(c, reply(c, m)));
    }
    return apply(c, scenario, engine.reply(scenario, state, reply(c, m), context(c)), m.seq()).thenApply(x -> null);
  }

  /**
   * The customer's message POSTed to the node's external bot, and its answer carried out; an answer promised (202)
   * is awaited until the endpoint's bound. An endpoint the tenant does not have (or has disabled) is a failure.
   */
  private CompletableFuture<Void> ask(Conversation c, Scenario scenario, BotState state, Node.ExternalBot bot,
      StoredMessage m, Reply reply) {
    String requestId = c.id() + "-" + m.seq();
    Optional<BotEndpoint> endpoint = endpoints.find(c.tenantId(), bot.endpoint()).filter(BotEndpoint::enabled);
    if (endpoint.isPresent() && awaited.awaits(c.id(), requestId, endpoint.get().id())) {
      return CompletableFuture.completedFuture(null); // asked already (the greeting asked the opening), reply awaited
    }
    if (endpoint.isEmpty()) {
      ExternalAnswer failed = external.failed(ExternalBots.Result.NO_ENDPOINT, null, requestId,
          "tenant " + c.tenantId() + " has no enabled bot endpoint '" + bot.endpoint() + "'");
      return apply(c, scenario, engine.answered(scenario, state, failed, context(c)), m.seq()).thenApply(x -> null);
    }
    return external.ask(endpoint.get(), requestId, request(c, m, reply, state, requestId)).thenCompose(answer -> {
      if (answer.isEmpty()) {
        BotEndpoint promised = endpoint.get();
        awaited.await(c.id(), requestId, promised, () -> inTurn(c.id(), () -> {
          if (!awaited.settle(c.id(), requestId)) {
            return CompletableFuture.completedFuture(null); // replied meanwhile, or answered by a later answer
          }
          ExternalAnswer failed = external.failed(ExternalBots.Result.NO_REPLY, promised, requestId,
              "no reply within " + promised.replyWithin().toSeconds() + " s of its 202");
          return answered(c.id(), m.seq(), failed).thenApply(x -> null);
        }));
        return CompletableFuture.completedFuture(null);
      }
      // Answered now: replies promised for earlier messages are answered by this one.
      awaited.settleAll(c.id());
      return apply(c, scenario, engine.answered(scenario, state, answer.get(), context(c)), m.seq())
          .thenApply(x -> null);
    });
  }

  /** What an external bot is POSTed: docs/protocol.md, "External bot webhook". Personal fields masked. */
  private byte[] request(Conversation c, StoredMessage m, Reply reply, BotState state, String requestId) {
    var body = JSON.createObjectNode();
    body.put("id", requestId);
    body.put("conversation", c.id());
    body.put("seq", m.seq());
    body.put("tenant", directory.tenant(c.tenantId()).map(Tenant::code).orElse(null));
    body.put("center", directory.center(c.centerId()).map(Center::code).orElse(null));
    body.put("queue", directory.queue(c.queueId()).map(Queue::code).orElse(null));
    body.put("channel", c.channel());
    body.put("text", reply.text());
    body.put("button", reply.button());
    var fields = body.putArray("fields");
    for (CollectedField f : state.fields()) {
      fields.addObject().put("name", f.name()).put("label", f.label()).put("value", f.shown());
    }
    body.put("replyUrl", "/api/bot/conversations/" + c.id() + "/reply");
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An external bot's REST reply ({@code body}, as the bot sent it) to {@code requestId}, carried out in turn with
   * the conversation's messages; completes once it is. Fails {@code not_found} when the conversation is not of the
   * endpoint's tenant, {@code conflict} when it awaits no such reply of that endpoint (answered already, given up on,
   * or moved on from the bot), {@code invalid_field} when the body does not read. Only the node that owns the
   * conversation's center knows what is awaited: other nodes forward it there ({@code Chat.BotReply}).
   */
  public CompletableFuture<Void> reply(long tenantId, long endpointId, long conversationId, String requestId,
      String body) {
    return CompletableFuture.supplyAsync(() -> turns.conversation(conversationId)
        .filter(c -> c.tenantId() == tenantId).isPresent(), blocking).thenCompose(known -> {
          if (!known) {
            throw SangdamException.notFound("conversation " + conversationId);
          }
          ExternalAnswer answer = ExternalBotAnswers.read(body.getBytes(StandardCharsets.UTF_8));
          if (answer instanceof ExternalAnswer.Failed f) {
            throw Fields.invalid("answer", f.why());
          }
          CompletableFuture<Void> done = new CompletableFuture<>();
          inTurn(conversationId, () -> {
            try {
              if (!awaited.awaits(conversationId, requestId, endpointId)) {
                done.completeExceptionally(notAwaited(conversationId, requestId));
                return CompletableFuture.completedFuture(null);
              }
              awaited.settle(conversationId, requestId);
              return answered(conversationId, seqOf(requestId), answer).whenComplete((taken, failed) -> {
                if (failed != null) {
                  done.completeExceptionally(failed);
                } else if (!taken) {
                  done.completeExceptionally(notAwaited(conversationId, requestId));
                } else {
                  done.complete(null);
                }
              }).thenApply(x -> null);
            } catch (RuntimeException e) {
              done.completeExceptionally(e);
              throw e;
            }
          });
          return done;
        });
  }

  private static SangdamException notAwaited(long conversationId, String requestId) {
    return new SangdamException(ErrorCode.CONFLICT, "conversation " + conversationId + " awaits no reply to '"
        + requestId + "': answered already, given up on, or moved on from the bot");
  }

  /** The customer message's seq a request awaited is about: requests are named {@code <conversation>-<seq>}. */
  private static long seqOf(String requestId) {
    return Long.parseLong(requestId.substring(requestId.indexOf('-') + 1));
  }

  /**
   * The answer to the customer's message {@code answeredSeq} carried out where the conversation stands; false when it
   * is no longer at an external bot.
   */
  private CompletableFuture<Boolean> answered(long conversationId, long answeredSeq, ExternalAnswer answer) {
    Optional<Conversation> c = turns.withBot(conversationId);
    Optional<BotStanding> standing = c.isEmpty() ? Optional.empty() : turns.standing(conversationId);
    if (standing.isEmpty() || standing.get().state() == null) {
      return CompletableFuture.completedFuture(false);
    }
    Scenario scenario = scenarioOf(c.get(), standing.get());
    BotState state = stateOf(conversationId, standing.get());
    if (!(scenario.node(state.node()) instanceof Node.ExternalBot)) {
      return CompletableFuture.completedFuture(false);
    }
    return apply(c.get(), scenario, engine.answered(scenario, state, answer, context(c.get())), answeredSeq);
  }

  /**
   * The reply with its button only if the bot's latest message offered it: a client may send any id, and an external
   * bot is told only of buttons it showed. A reply of nothing but an id not offered is its id as typed text.
   */
  private Reply offered(Conversation c, Reply reply) {
    if (reply.button() == null
        || turns.lastButtons(c.id()).stream().anyMatch(b -> b.id().equals(reply.button()))) {
      return reply;
    }
    return Reply.text(reply.text() == null || reply.text().isBlank() ? reply.button() : reply.text());
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

  private static BotState stateOf(long conversationId, BotStanding standing) {
    try {
      return BotState.fromJson(JSON.readTree(standing.state()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("conversation " + conversationId + " has unreadable bot state", e);
    }
  }

  private Scenario scenarioOf(Conversation c, BotStanding standing) {
    return library.scenario(c.tenantId(), standing.scenario(), standing.version())
        .orElseThrow(() -> new IllegalStateException("conversation " + c.id() + " walks scenario "
            + standing.scenario() + " v" + standing.version() + ", which is gone"));
  }

  private BotContext context(Conversation c) {
    Instant now = clock.instant();
    return new BotContext(now, (center, at) -> center(c, center).map(x -> x.isOpen(at)).orElse(false),
        library.faq(c.tenantId()), center -> center(c, center).map(x -> slots(x, now)).orElse(List.of()));
  }

  /** The conversation's center, or the tenant's center of that code, while enabled. */
  private Optional<Center> center(Conversation c, Optional<String> code) {
    return code.map(x -> directory.center(c.tenantId(), x)).orElseGet(() -> directory.center(c.centerId()))
        .filter(Center::enabled);
  }

  /** The center's callback slots, labelled in its own time as a Korean customer reads a date. */
  private static List<CallbackTimes.Slot> slots(Center center, Instant now) {
    ZoneId zone = ZoneId.of(center.timezone());
    return CallbackSlots.offered(center, now).stream()
        .map(at -> new CallbackTimes.Slot(at, SLOT_LABEL.format(at.atZone(center.hours() != null
            ? center.hours().zone() : zone)))).toList();
  }

  /**
   * Carries out a step, the turn on the customer's message {@code answeredSeq}: while the bot still waits, its state
   * is kept, with what the turn counts in the bot statistics, before its messages are said, once per message (a
   * crash in between loses the bot's words, never its place: the customer's next message is read where it stands);
   * else what the turn counts is kept, its messages are said, then the conversation goes where the outcome says (a
   * crash before that says them again at the take-up, rather than leave it with the bot; the hand-off or end counts
   * the conversation itself). Completes with false when the turn was not taken: the conversation left the bot, or
   * the message was answered already.
   */
  private CompletableFuture<Boolean> apply(Conversation c, Scenario scenario, Step step, long answeredSeq) {
    Outcome outcome = step.outcome();
    BotTally tally = tally(step.facts(), outcome instanceof Outcome.InquiryLeft);
    if (outcome instanceof Outcome.Waiting w) {
      if (!turns.keep(c.id(), w.state().toJson().toString(), answeredSeq, tally)) {
        return CompletableFuture.completedFuture(false);
      }
      return say(c, scenario, step).thenApply(x -> true);
    }
    if (!turns.count(c.id(), answeredSeq, tally)) {
      return CompletableFuture.completedFuture(false);
    }
    return say(c, scenario, step).thenCompose(x -> {
      if (outcome instanceof Outcome.HandOff h) {
        return turns.handOff(c.id(), queue(c, h.center(), h.queue()), values(h.fields())).thenApply(y -> true);
      } else if (outcome instanceof Outcome.InquiryLeft i) {
        return turns.leaveInquiry(c.id(), queue(c, i.center(), i.queue()), contact(i.fields()), inquiry(i.fields()))
            .thenApply(y -> true);
      } else if (outcome instanceof Outcome.CallbackLeft left) {
        return CompletableFuture.runAsync(() -> leaveCallback(c, left), blocking)
            .thenCompose(y -> turns.end(c.id())).thenApply(y -> true);
      }
      return turns.end(c.id()).thenApply(y -> true);
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

  /**
   * What a turn's facts add to the statistics. Entries are counted per entry by their id, a {@code bot_faq} id
   * ({@link CachedBotLibrary}); one that is not a number cannot come from there and is counted in the totals only.
   */
  static BotTally tally(List<BotFact> facts, boolean inquiry) {
    int questions = 0;
    int answered = 0;
    int suggested = 0;
    int chosen = 0;
    int helpful = 0;
    int unhelpful = 0;
    Map<Long, int[]> entries = new LinkedHashMap<>();
    for (BotFact fact : facts) {
      if (fact instanceof BotFact.FaqAsked asked) {
        questions++;
        switch (asked.result()) {
          case ANSWERED -> {
            answered++;
            entry(entries, asked.entry())[0]++;
          }
          case SUGGESTED -> suggested++;
          case UNANSWERED -> { }
        }
      } else if (fact instanceof BotFact.FaqChosen c) {
        chosen++;
        entry(entries, c.entry())[0]++;
      } else if (fact instanceof BotFact.Rated r) {
        if (r.helpful()) {
          helpful++;
        } else {
          unhelpful++;
        }
        entry(entries, r.entry())[r.helpful() ? 1 : 2]++;
      }
    }
    entries.remove(null);
    return new BotTally(questions, answered, suggested, chosen, helpful, unhelpful, inquiry ? 1 : 0,
        entries.entrySet().stream().map(e -> new BotTally.Entry(e.getKey(), e.getValue()[0], e.getValue()[1],
            e.getValue()[2])).toList());
  }

  /** The counts (answered, helpful, unhelpful) of the entry of that id; of a null key when the id is no number. */
  private static int[] entry(Map<Long, int[]> entries, String id) {
    Long key = id.matches("[0-9]{1,18}") ? Long.valueOf(id) : null;
    return entries.computeIfAbsent(key, k -> new int[3]);
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

  /**
   * The callback request the bot took, keyed by the conversation, so a turn carried out again after a crash stores
   * nothing new. A slot that passed in between is lost to the request, never to the record: the conversation's
   * transcript keeps what the customer chose, and the failure is logged.
   */
  private void leaveCallback(Conversation c, Outcome.CallbackLeft left) {
    Queue q = queue(c, left.center(), left.queue());
    try {
      Center center = directory.center(q.centerId()).orElseThrow();
      callbacks.request(center, q, c.customerId(), c.id(), "bot-" + c.id(), left.phone(), left.slot(),
          inquiry(left.fields().stream().filter(f -> f.type() != FieldType.PHONE
              && !f.name().equals("callbackSlot")).toList()));
    } catch (SangdamException e) {
      log.warn("conversation {}: the callback for {} could not be stored: {}", c.id(), left.slot(), e.getMessage());
    }
  }

  /** The inquiry's text: every field collected, one "label: value" a line. */
  private static String inquiry(List<CollectedField> fields) {
    return fields.stream().map(f -> f.label() + ": " + f.value()).collect(Collectors.joining("\n"));
  }
}
