package io.sangdam.channel;

import static java.util.Objects.requireNonNull;

import io.sangdam.channel.ChannelStore.InboundAnswer;
import io.sangdam.channel.ChannelStore.Surveyed;
import io.sangdam.chat.ChatStore;
import io.sangdam.chat.ConversationState;
import io.sangdam.presence.Chat;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The customer's rating (CSAT) of a channel conversation an agent took, through the same {@link Chat.Rate} as
 * the widget's {@code rate} (so statistics, transcripts, webhooks and the consoles see it alike). Asking: the
 * conversation's end carries the question ({@link OutboundItem#survey()}) where the channel asks ({@value #RATING}
 * {@code on}; by default every kind but SMS, whose every text is paid for); a text kind sends it before the end,
 * the custom kind marks its {@code closed} as ratable. Answering: the custom kind's signed {@code rating} event;
 * on a text kind, the customer's next message, when it is a score and comes within the window after the
 * question reached them, rates that conversation instead of opening a new one. Anything else (another text, a
 * score once the conversation is rated or the window is over) is an ordinary message: never a dead end.
 */
public final class ChannelRatings {
  /** {@code on} or {@code off}: whether the channel asks its customers to rate. */
  public static final String RATING = "rating";
  /** The question a text kind sends (at most 500 characters, as every setting). */
  public static final String TEXT = "ratingText";
  /** How long after the question reached the customer their score is awaited, in minutes (1 to 1440). */
  public static final String WINDOW = "ratingWindowMinutes";
  public static final String DEFAULT_TEXT =
      "상담은 만족스러우셨나요? 1(매우 불만)부터 5(매우 만족)까지 숫자로 답해 주세요.";
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(30);
  static final int MAX_WINDOW_MINUTES = 1_440;
  /** The widget's longest comment: a longer one after a score makes the text an ordinary message. */
  static final int MAX_COMMENT = 1_000;

  /** A score read from a customer's text, with what followed it. */
  public record Score(int score, Optional<String> comment) {}

  private final ChannelStore store;
  private final ChatStore chat;
  private final Chat.Rate rate;
  private final Clock clock;

  public ChannelRatings(ChannelStore store, ChatStore chat, Chat.Rate rate, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.chat = requireNonNull(chat, "chat");
    this.rate = requireNonNull(rate, "rate");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Whether the channel asks for ratings: its {@value #RATING} setting, else on for every kind but SMS. */
  public static boolean asks(Channel channel) {
    return channel.setting(RATING).map("on"::equals).orElse(channel.kind() != ChannelKind.SMS);
  }

  static Duration window(Channel channel) {
    return channel.setting(WINDOW).map(m -> Duration.ofMinutes(Long.parseLong(m))).orElse(DEFAULT_WINDOW);
  }

  /** The rating settings among a channel's, checked: a bad one is a 422 naming it. */
  static void check(Map<String, String> settings) {
    Optional.ofNullable(settings.get(RATING)).filter(v -> !v.equals("on") && !v.equals("off")).ifPresent(v -> {
      throw Fields.invalid(RATING, "must be \"on\" or \"off\"");
    });
    Optional.ofNullable(settings.get(TEXT)).filter(String::isBlank).ifPresent(v -> {
      throw Fields.invalid(TEXT, "must not be blank");
    });
    Optional.ofNullable(settings.get(WINDOW)).filter(v -> !v.matches("[0-9]{1,4}") || Integer.parseInt(v) < 1
        || Integer.parseInt(v) > MAX_WINDOW_MINUTES).ifPresent(v -> {
          throw Fields.invalid(WINDOW, "must be a whole number of minutes from 1 to " + MAX_WINDOW_MINUTES);
        });
  }

  /**
   * The outbox's end of a conversation (blocks: it reads the conversation), asking for a rating when the
   * channel asks and an agent took the conversation; a text kind asks no customer who left (their session on
   * the channel is gone, or they opted out of texts).
   */
  OutboundItem asking(Channel channel, OutboundItem end) {
    if (end.type() != OutboundItem.Type.CLOSED || !asks(channel)
        || channel.kind().ratesInText() && end.reason().filter("customer"::equals).isPresent()) {
      return end;
    }
    boolean ratable = chat.conversation(end.conversationId())
        .filter(c -> c.state() == ConversationState.CLOSED && c.agentId() != null).isPresent();
    return ratable ? end.withSurvey(channel.setting(TEXT).orElse(DEFAULT_TEXT)) : end;
  }

  /**
   * A request in the customer's line, before it joins or opens a conversation (blocks): a {@code rating}
   * event is rated here; on a text kind, with no conversation open, a score answering the question rates
   * the conversation asked about, and a partner's session start while an answer is awaited opens nothing
   * (answered with the conversation asked about: what the customer writes next decides). Empty: the request
   * goes on as before.
   */
  Optional<CompletableFuture<InboundAnswer>> take(Channel channel, Optional<Long> customer, boolean open,
      InboundMessage m) {
    if (m.event() == InboundMessage.Event.RATING) {
      InboundMessage.Rating r = m.rating().orElseThrow();
      if (!asks(channel)) {
        throw new SangdamException(ErrorCode.CONFLICT, "channel '" + channel.code() + "' takes no ratings");
      }
      long customerId = customer.orElseThrow(() -> SangdamException.notFound("conversation " + r.conversation()));
      return Optional.of(rated(customerId, r.conversation(), new Score(r.score(), r.comment())));
    }
    boolean answerable = m.event() == InboundMessage.Event.MESSAGE || m.event() == InboundMessage.Event.START;
    if (open || customer.isEmpty() || !answerable || !channel.kind().ratesInText() || !asks(channel)) {
      return Optional.empty();
    }
    Optional<Score> score = m.event() == InboundMessage.Event.START ? Optional.empty() : score(m.text());
    if (m.event() == InboundMessage.Event.MESSAGE && score.isEmpty()) {
      return Optional.empty();
    }
    Optional<Surveyed> awaited = store.surveyed(customer.get())
        .filter(s -> clock.instant().isBefore(s.askedAt().plus(window(channel))));
    if (awaited.isEmpty()) {
      return Optional.empty();
    }
    if (awaited.get().rated()) {
      return score.isEmpty() ? Optional.empty() : sameAgain(customer.get(), m).map(CompletableFuture::completedFuture);
    }
    long conversation = awaited.get().conversationId();
    return Optional.of(score.isEmpty() ? CompletableFuture.completedFuture(new InboundAnswer(conversation, null))
        : rated(customer.get(), conversation, score.get()));
  }

  /**
   * A score on a text kind for a conversation already rated (blocks): the same bare score again is taken as
   * that rating, and answered as it was (nothing stored); anything else is an ordinary message (empty). A
   * repeat says nothing new: a second tap on TalkTalk's {@code 5점} button (it stays under the question), a
   * score sent twice, or to two nodes at once, where one rates and the other finds it rated. Opening a
   * conversation with it would offer an agent a {@code 5점} with nothing to answer and greet a customer who
   * asked for nothing. Another score or a comment may be a correction or words for someone: read as a message,
   * nothing the customer wrote is lost.
   */
  Optional<InboundAnswer> sameAgain(long customerId, InboundMessage m) {
    Optional<Score> score = score(m.text()).filter(s -> s.comment().isEmpty());
    return store.surveyed(customerId).filter(Surveyed::rated)
        .filter(s -> score.isPresent() && chat.rating(s.conversationId()).filter(r -> r == score.get().score())
            .isPresent())
        .map(s -> new InboundAnswer(s.conversationId(), null));
  }

  private CompletableFuture<InboundAnswer> rated(long customerId, long conversation, Score s) {
    return rate.rate(customerId, conversation, s.score(), s.comment())
        .thenApply(x -> new InboundAnswer(conversation, null));
  }

  /**
   * The score a customer's text gives, if it is one: a digit 1 to 5 (full-width too), maybe {@code 점} or star
   * marks ({@code ★}, {@code ⭐}) after it, then nothing or a separator (a space, {@code ,}, {@code !}, {@code ~})
   * and a comment of at most {@value #MAX_COMMENT} characters. {@code 0}, {@code 6}, {@code 56}, {@code 4.5} or
   * {@code 5개} are no score; nor is a digit whose next word goes on to count or measure with it, spaced or not
   * ({@code 3 개월 할부 되나요}, {@code 1 시에 전화주세요}, {@code 5 kg}, {@code 1 2 3}): read as a score, the
   * customer's question would be swallowed with nobody to answer it, while a score read as a message only costs
   * an agent a look.
   */
  public static Optional<Score> score(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
    if (t.isEmpty() || t.charAt(0) < '1' || t.charAt(0) > '5') {
      return Optional.empty();
    }
    String rest = t.substring(1);
    String marked = rest.stripLeading();
    if (marked.startsWith("점")) {
      rest = marked.substring(1);
    } else if (!marked.isEmpty() && STARS.indexOf(marked.codePointAt(0)) >= 0) {
      rest = marked.substring(marked.codePoints().takeWhile(c -> STARS.indexOf(c) >= 0)
          .map(Character::charCount).sum());
    } else if (!rest.isEmpty() && (!separator(rest.charAt(0)) || countsOn(marked))) {
      return Optional.empty();
    }
    String comment = rest.replaceFirst("^[\\s,!~.]+", "").strip();
    if (comment.length() > MAX_COMMENT) {
      return Optional.empty();
    }
    return Optional.of(new Score(t.charAt(0) - '0', comment.isEmpty() ? Optional.empty() : Optional.of(comment)));
  }

  /** The marks a customer may put after a score instead of {@code 점}. */
  private static final String STARS = "★☆⭐🌟";

  /**
   * Counters and units that make the number before them a count or a measure. Only the whole word counts (the
   * counter alone, or with one of {@link #PARTICLES}): {@code 5 만족해요}, {@code 5 일처리가 빨라요} and
   * {@code 4 시원하게} are scores with a comment.
   */
  private static final List<String> COUNTERS = List.of("개월", "개", "달", "주일", "주", "일", "년", "월", "시간", "시",
      "분", "초", "번", "회", "차", "건", "명", "만원", "천원", "원", "만", "천", "백", "살", "세", "장", "권", "병", "잔",
      "대", "층", "호", "박", "통", "벌", "마리", "인분", "인", "가지", "곳", "군데", "배", "퍼센트", "프로", "%", "kg", "g",
      "km", "cm", "mm", "m", "gb", "mb", "l", "ml");

  /** What follows a counter in its word: {@code 시에}, {@code 시간째}, {@code 번이나}, {@code 명이에요}. */
  private static final Set<String> PARTICLES = Set.of("", "째", "씩", "쯤", "정도", "짜리", "동안", "만", "만에", "이나",
      "나", "이요", "요", "이에요", "에요", "예요", "이면", "면", "이상", "이하", "이내", "내", "이", "가", "에", "은", "는",
      "을", "를", "도", "부터", "까지", "후", "후에", "뒤", "뒤에", "전", "전에", "간", "밖에", "넘게", "당", "마다", "과",
      "와", "의", "로", "으로", "에서", "인데", "인데요", "입니다");

  /** Whether {@code next}, what follows the digit, goes on with the number: another digit, or a counter or unit. */
  private static boolean countsOn(String next) {
    if (next.isEmpty()) {
      return false;
    }
    if (Character.isDigit(next.charAt(0))) {
      return true;
    }
    String word = next.split("[\\s,.!?~]", 2)[0].toLowerCase(Locale.ROOT);
    return COUNTERS.stream().anyMatch(c -> word.startsWith(c) && PARTICLES.contains(word.substring(c.length())));
  }

  private static boolean separator(char c) {
    return Character.isWhitespace(c) || c == ',' || c == '!' || c == '~';
  }
}
