package io.sangdam.channel;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sangdam.auth.Secrets;
import io.sangdam.channel.ChannelStore.InboundAnswer;
import io.sangdam.chat.FirstMessage;
import io.sangdam.chat.Participant;
import io.sangdam.directory.BusinessHours;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.presence.Chat;
import io.sangdam.protocol.CenterClosedException;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Every channel's inbound path: the custom channel's webhook, and the partner adapters' (Kakao, SMS),
 * which bring their own proof and reader. A request is checked in the order that stores nothing for a
 * bad one: the channel of that kind (404), the signature or the partner's credentials (401, counted),
 * the channel enabled (403), the body (400, 422). Then, one at a time per customer of the channel (so their messages keep their order
 * and a customer's first two messages cannot open two conversations on this node): a {@code mid}
 * handled before is answered as then; a message goes into the customer's open conversation through
 * chat's own send, its {@code mid} as the cmid (so the chat's own dedupe applies too), or opens one with
 * it in the channel's queue under the center's hours as the widget's {@code start} does (the database
 * keeps one open per customer across the nodes, where the line here cannot: {@link #open}); a
 * {@code leave} ends the open conversation as the customer leaving it; a partner's session {@code start}
 * opens one if none is open. A rating, or a message that answers a rating question, is
 * {@link ChannelRatings}'.
 */
public final class ChannelInbound {
  /** How long a mid's answer is kept at least, and how often old ones are forgotten. */
  static final Duration KEEP_ANSWERS = Duration.ofDays(7);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);
  private static final String DEFAULT_NAME = "고객";
  /** How often a start lost to another node's is followed by another after the winner's conversation ended. */
  private static final int RACES = 2;
  /**
   * The pauses before a send is tried again into a conversation this node has not heard of yet: 1.6 s in
   * all, well within a partner's patience (Kakao's skill server waits 5 s).
   */
  private static final Duration[] UNKNOWN_YET_PAUSES = {Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800)};

  /** What a request was answered, for {@code sangdam.channel.inbound}'s {@code result} tag. */
  private enum Result { ACCEPTED, BAD_SIGNATURE, DISABLED, UNKNOWN_CHANNEL, INVALID }

  private final ChannelStore store;
  private final Directory directory;
  private final Chat.Start start;
  private final Chat.Send send;
  private final Chat.Leave leave;
  private final ChannelRatings ratings;
  private final Secrets secrets;
  private final InboundSignature signature;
  private final Json json;
  private final Executor blocking;
  private final Clock clock;
  private final Map<Result, Counter> counted;
  /** Per customer of a channel, the last request in line; removed when it is done and nothing followed it. */
  private final Map<String, CompletableFuture<InboundAnswer>> lines = new ConcurrentHashMap<>();
  private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

  public ChannelInbound(ChannelStore store, Directory directory, Chat.Start start, Chat.Send send, Chat.Leave leave,
      ChannelRatings ratings, Secrets secrets, Json json, MeterRegistry meters, Executor blocking, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.directory = requireNonNull(directory, "directory");
    this.start = requireNonNull(start, "start");
    this.send = requireNonNull(send, "send");
    this.leave = requireNonNull(leave, "leave");
    this.ratings = requireNonNull(ratings, "ratings");
    this.secrets = requireNonNull(secrets, "secrets");
    this.signature = new InboundSignature(clock);
    this.json = requireNonNull(json, "json");
    this.blocking = requireNonNull(blocking, "blocking");
    this.clock = requireNonNull(clock, "clock");
    this.counted = new EnumMap<>(Result.class);
    for (Result r : Result.values()) {
      counted.put(r, Counter.builder("sangdam.channel.inbound").tag("result", r.name().toLowerCase(Locale.ROOT))
          .description("Requests to channels' inbound webhooks, by how they were answered").register(meters));
    }
  }

  /**
   * Checks a request to {@code /channels/{tenant}/{channel}/inbound} (blocks: call it on the blocking
   * executor) and hands it on; the answer completes once the message is stored (or the event done).
   */
  public CompletableFuture<InboundAnswer> receive(String tenantCode, String channelCode, String signatureHeader,
      byte[] body) {
    return receive(tenantCode, channelCode, ChannelKind.CUSTOM,
        c -> signature.verifies(signatureHeader, body, c.secret()),
        "the " + InboundSignature.HEADER + " header is missing, does not sign this body with the channel's secret, "
            + "or its t is more than " + InboundSignature.TOLERANCE.toMinutes() + " minutes from the server's clock",
        c -> InboundMessage.of(new Fields(json.readObject(new ByteArrayInputStream(body)))));
  }

  /**
   * The inbound path of a kind whose request is one message or event (blocks: call it on the blocking
   * executor): the channel {@link #admitted}, its request read by {@code read} (which throws 400 or 422,
   * counted), then {@link #accept}ed.
   */
  public CompletableFuture<InboundAnswer> receive(String tenantCode, String channelCode, ChannelKind kind,
      Predicate<Channel> authentic, String refusal, Function<Channel, InboundMessage> read) {
    Channel channel = admitted(tenantCode, channelCode, kind, authentic, refusal);
    InboundMessage message;
    try {
      message = read.apply(channel);
    } catch (SangdamException e) {
      throw invalid(e);
    }
    return accept(channel, message);
  }

  /**
   * The tenant's channel of that kind a partner's webhook names, checked in the order that stores nothing
   * for a bad request: it exists (404; a channel of another kind is not found on this kind's path),
   * {@code authentic} proves the request the channel's (401 with {@code unauthorized}, counted), it is
   * enabled (403). Blocks. A partner's own webhook checks its body next ({@link #invalid}) and hands each
   * message or event to {@link #accept}.
   */
  public Channel admitted(String tenantCode, String channelCode, ChannelKind kind, Predicate<Channel> authentic,
      String unauthorized) {
    Channel channel = directory.tenantByCode(tenantCode.toLowerCase(Locale.ROOT))
        .flatMap(t -> store.find(t.id(), channelCode.toLowerCase(Locale.ROOT)))
        .filter(c -> c.kind() == kind)
        .orElseThrow(() -> refused(Result.UNKNOWN_CHANNEL, SangdamException.notFound(kind == ChannelKind.CUSTOM
            ? "channel '" + channelCode + "'" : kind + " channel '" + channelCode + "'")));
    if (!authentic.test(channel)) {
      throw refused(Result.BAD_SIGNATURE, new SangdamException(ErrorCode.UNAUTHORIZED, unauthorized));
    }
    if (!channel.enabled()) {
      throw refused(Result.DISABLED, new SangdamException(ErrorCode.FORBIDDEN, "channel '" + channel.code()
          + "' is disabled"));
    }
    return channel;
  }

  /** Counts a body refused as malformed or invalid, and returns its answer to throw. */
  public SangdamException invalid(SangdamException answer) {
    return refused(Result.INVALID, answer);
  }

  /**
   * An admitted channel's message or event, in line after the customer's earlier ones: stored once by its
   * {@code mid}; the answer completes once it is stored (or the event done).
   */
  public CompletableFuture<InboundAnswer> accept(Channel channel, InboundMessage message) {
    counted.get(Result.ACCEPTED).increment();
    return inLine(channel.id() + ":" + message.user(), () -> handle(channel, message));
  }

  private SangdamException refused(Result result, SangdamException answer) {
    counted.get(result).increment();
    return answer;
  }

  /** Runs {@code work} on the blocking executor after the customer's previous request, whatever became of it. */
  private CompletableFuture<InboundAnswer> inLine(String customer,
      Supplier<CompletableFuture<InboundAnswer>> work) {
    CompletableFuture<InboundAnswer> mine = lines.compute(customer, (k, previous) ->
        (previous == null ? CompletableFuture.<InboundAnswer>completedFuture(null) : previous)
            .handle((x, e) -> null)
            .thenComposeAsync(x -> work.get(), blocking));
    mine.whenComplete((a, e) -> lines.remove(customer, mine));
    return mine;
  }

  /** On the blocking executor: the customer's request, its turn come. */
  private CompletableFuture<InboundAnswer> handle(Channel channel, InboundMessage m) {
    Optional<Long> customer = store.customer(channel.id(), m.user());
    Optional<InboundAnswer> before = store.answered(channel.id(), m.mid())
        .or(() -> m.earlierMid().flatMap(mid -> store.answered(channel.id(), mid)))
        .or(() -> m.event() != InboundMessage.Event.MESSAGE ? Optional.empty()
            : customer.flatMap(id -> store.customerMessage(id, m.mid())));
    if (before.isPresent()) {
      return CompletableFuture.completedFuture(before.get());
    }
    Optional<Long> open = customer.flatMap(store::openConversation);
    Optional<CompletableFuture<InboundAnswer>> rating = ratings.take(channel, customer, open.isPresent(), m);
    CompletableFuture<InboundAnswer> done;
    if (rating.isPresent()) {
      // Another node rated the conversation a moment ago (the customer's score sent twice, or two of them,
      // each to a node): this score is then what the conversation already has, or an ordinary message,
      // exactly as it would be in line after the other on one node.
      done = rating.get().exceptionallyComposeAsync(failed -> m.event() == InboundMessage.Event.MESSAGE
          && is(failed, ErrorCode.ALREADY_RATED) ? ratings.sameAgain(customer.get(), m)
              .map(CompletableFuture::completedFuture).orElseGet(() -> open(channel, m, RACES))
          : CompletableFuture.failedFuture(failed), blocking);
    } else if (m.event() == InboundMessage.Event.START && open.isPresent()) {
      done = CompletableFuture.completedFuture(new InboundAnswer(open.get(), null));
    } else if (m.leave()) {
      long id = open.orElseThrow(() -> SangdamException.notFound("open conversation of user '" + m.user()
          + "' on channel '" + channel.code() + "'"));
      done = leave.leave(customer.get(), id, 0).thenApply(reason -> new InboundAnswer(id, null));
    } else if (open.isPresent()) {
      done = say(customer.get(), open.get(), m);
    } else {
      done = open(channel, m, RACES);
    }
    return done.thenApplyAsync(answer -> {
      store.keepAnswer(channel.id(), m.mid(), answer, clock.instant());
      forgetOldAnswers();
      return answer;
    }, blocking);
  }

  /**
   * Opens the customer's conversation in the channel's queue with their message as its first, stored with
   * it (a partner's session start opens it empty). The database keeps one open conversation per customer
   * of a channel, whatever the node: when another node opened theirs a moment before (a partner's retry,
   * or the customer's next message, sent to another node), this start is refused {@code conflict} and
   * stores nothing, and the message joins the conversation that won ({@link #joinWinner}).
   */
  private CompletableFuture<InboundAnswer> open(Channel channel, InboundMessage m, int racesLeft) {
    Queue queue = openQueue(channel);
    long customerId = store.ensureCustomer(channel.tenantId(), channel.id(), m.user(),
        m.name().orElse(DEFAULT_NAME), Secrets.hash(secrets.newToken()), clock.instant());
    Optional<FirstMessage> first = m.event() == InboundMessage.Event.START ? Optional.empty()
        : Optional.of(new FirstMessage(m.text(), m.mid()));
    return start.start(channel.tenantId(), queue, customerId, m.name().orElse(DEFAULT_NAME), first, 0, c -> { })
        // The opening message is always the conversation's message 1.
        .thenApply(c -> new InboundAnswer(c.id(), first.isPresent() ? 1L : null))
        .exceptionallyComposeAsync(failed -> racesLeft > 0 && is(failed, ErrorCode.CONFLICT)
            ? joinWinner(channel, m, customerId, racesLeft - 1) : CompletableFuture.failedFuture(failed), blocking);
  }

  /**
   * After a start lost to another's: the same message, stored by the winner, is answered as stored; another
   * goes into the winner's conversation, after its first message. If that ended meanwhile, a new one opens.
   */
  private CompletableFuture<InboundAnswer> joinWinner(Channel channel, InboundMessage m, long customerId,
      int racesLeft) {
    Optional<InboundAnswer> stored = m.event() == InboundMessage.Event.MESSAGE
        ? store.customerMessage(customerId, m.mid()) : Optional.empty();
    if (stored.isPresent()) {
      return CompletableFuture.completedFuture(stored.get());
    }
    Optional<Long> open = store.openConversation(customerId);
    if (open.isEmpty()) {
      return open(channel, m, racesLeft);
    }
    return m.event() == InboundMessage.Event.START
        ? CompletableFuture.completedFuture(new InboundAnswer(open.get(), null))
        : say(customerId, open.get(), m);
  }

  private CompletableFuture<InboundAnswer> say(long customerId, long conversationId, InboundMessage m) {
    return say(customerId, conversationId, m, 0);
  }

  /**
   * Sends into a conversation the database has open. Another node may have opened it a moment ago: until
   * this node hears of it (its events, milliseconds later), chat refuses {@code unavailable}, and the send
   * is tried again after a short pause, a few times (the mid as cmid stores it once whatever the tries).
   */
  private CompletableFuture<InboundAnswer> say(long customerId, long conversationId, InboundMessage m, int tried) {
    return send.send(Participant.customer(customerId), conversationId, m.mid(), m.text(), m.button().orElse(null), 0)
        .thenApply(stored -> new InboundAnswer(stored.conversationId(), stored.seq()))
        .exceptionallyCompose(failed -> tried < UNKNOWN_YET_PAUSES.length && is(failed, ErrorCode.UNAVAILABLE)
            ? CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                UNKNOWN_YET_PAUSES[tried].toMillis(), TimeUnit.MILLISECONDS, blocking))
                .thenCompose(x -> say(customerId, conversationId, m, tried + 1))
            : CompletableFuture.failedFuture(failed));
  }

  private static boolean is(Throwable failed, ErrorCode code) {
    Throwable cause = failed instanceof CompletionException && failed.getCause() != null ? failed.getCause() : failed;
    return cause instanceof SangdamException e && e.code() == code;
  }

  /**
   * The channel's queue if it takes a new conversation now: as for the widget's {@code start}, the
   * tenant active, the center and queue enabled, and the center open (or accepting out of hours).
   */
  private Queue openQueue(Channel channel) {
    Queue q = directory.queue(channel.queueId()).filter(Queue::enabled)
        .filter(x -> directory.tenant(channel.tenantId()).map(Tenant::status).filter("ACTIVE"::equals).isPresent())
        .orElseThrow(() -> new SangdamException(ErrorCode.CONFLICT, "the queue of channel '" + channel.code()
            + "' takes no conversations now"));
    Center center = directory.center(q.centerId()).filter(Center::enabled)
        .orElseThrow(() -> new SangdamException(ErrorCode.CONFLICT, "the center of channel '" + channel.code()
            + "' takes no conversations now"));
    Instant now = clock.instant();
    if (center.isOpen(now) || center.hours().outOfHours() == BusinessHours.OutOfHours.ACCEPT) {
      return q;
    }
    throw new CenterClosedException(center.hours().nextOpening(now).orElse(null));
  }

  /** At most once an hour, on the thread of a request just answered: answers older than a week are forgotten. */
  private void forgetOldAnswers() {
    Instant now = clock.instant();
    Instant last = lastPurge.get();
    if (now.isAfter(last.plus(PURGE_EVERY)) && lastPurge.compareAndSet(last, now)) {
      store.forgetAnswers(now.minus(KEEP_ANSWERS));
    }
  }
}
