package io.sangdam.widget;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The widgets of the centers: their settings as admins change them, each checked before anything is kept, and
 * the pre-chat answers a customer gives, checked against the form of the customer's own center. Blocks on the
 * store: call it off the event loops.
 */
public final class Widgets {
  public static final int MAX_LOGO_BYTES = 200 * 1024;
  private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 -]{6,18}[0-9]");
  private static final Pattern EMAIL = Pattern.compile("[^\\s@<>\"]{1,64}@[^\\s@<>\"]+\\.[^\\s@<>\"]{2,}");
  /** Control and formatting characters (a line break, a right-to-left override): no part of a name or contact. */
  private static final Pattern HIDDEN = Pattern.compile("[\\p{Cc}\\p{Cf}]");
  private static final List<String> ASKS = Arrays.stream(Ask.values()).map(Enum::name).toList();

  private final WidgetStore store;
  private final Clock clock;

  public Widgets(WidgetStore store, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
  }

  public WidgetSettings settings(long centerId) {
    return store.settings(centerId).orElse(WidgetSettings.DEFAULTS);
  }

  /**
   * Replaces the center's settings with those in {@code body} (a field left out takes its default); the consent's
   * version goes up when its text changes. Nothing is kept when a field is wrong.
   */
  public WidgetSettings update(long tenantId, long centerId, Fields body) {
    WidgetSettings now = settings(centerId);
    String color = body.optString("brandColor", 7).orElse(WidgetSettings.DEFAULT_BRAND_COLOR);
    if (!COLOR.matcher(color).matches()) {
      throw Fields.invalid("brandColor", "must be a colour such as #1f5fbf");
    }
    double contrast = Contrast.ratio(color, "#ffffff");
    if (contrast < Contrast.READABLE) {
      throw Fields.invalid("brandColor", String.format(Locale.ROOT,
          "is too light for white text on it (contrast %.1f:1; at least 4.5:1)", contrast));
    }
    String logoUrl = nonBlank(body.optString("logoUrl", 500)).orElse(null);
    if (logoUrl != null) {
      checkLogoUrl(logoUrl);
    }
    PreChatForm form = form(body, now.form());
    WidgetSettings next = new WidgetSettings(line(body, "title", 40), color.toLowerCase(Locale.ROOT),
        nonBlank(body.optString("welcome", 500)).orElse(null), logoUrl, now.hasLogo(),
        body.optBool("allowTranscript").orElse(false), form);
    store.save(tenantId, centerId, next);
    return next;
  }

  private static PreChatForm form(Fields body, PreChatForm before) {
    JsonNode node = body.node().get("form");
    if (node == null || node.isNull()) {
      return new PreChatForm(false, Ask.OFF, Ask.OFF, List.of(), false, before.consentText(),
          before.consentVersion());
    }
    if (!node.isObject()) {
      throw Fields.invalid("form", "must be an object");
    }
    Fields f = new Fields(node);
    List<String> types = new ArrayList<>();
    for (String type : f.has("inquiryTypes") ? f.strings("inquiryTypes", 20, 40) : List.<String>of()) {
      String name = type.strip();
      if (name.isEmpty() || HIDDEN.matcher(name).find()) {
        throw Fields.invalid("form.inquiryTypes", "must be names of 1 to 40 characters");
      }
      if (types.contains(name)) {
        throw Fields.invalid("form.inquiryTypes", "names '" + name + "' twice");
      }
      types.add(name);
    }
    String text = nonBlank(f.optString("consentText", 4000)).map(String::strip).orElse(null);
    boolean consentRequired = f.optBool("consentRequired").orElse(false);
    if (consentRequired && text == null) {
      throw Fields.missing("form.consentText");
    }
    int version = Objects.equals(text, before.consentText()) ? before.consentVersion()
        : before.consentVersion() + 1;
    return new PreChatForm(f.optBool("enabled").orElse(false), ask(f, "name"), ask(f, "contact"), types,
        consentRequired, text, version);
  }

  private static Ask ask(Fields f, String name) {
    String value = f.optString(name, 8).orElse(Ask.OFF.name());
    if (!ASKS.contains(value)) {
      throw Fields.invalid("form." + name, "must be OFF, OPTIONAL or REQUIRED");
    }
    return Ask.valueOf(value);
  }

  /** A logo's address: https only, with a host and no user name or password in it, so the page never asks one. */
  private static void checkLogoUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw Fields.invalid("logoUrl", "must be an https:// address");
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw Fields.invalid("logoUrl", "must be an https:// address with a host and no user name");
    }
  }

  /** Keeps an uploaded logo: a PNG, JPEG or WebP picture (by its bytes, not only its claimed type), at most 200 KB. */
  public WidgetSettings setLogo(long tenantId, long centerId, byte[] image) {
    if (image.length == 0) {
      throw Fields.missing("logo");
    }
    if (image.length > MAX_LOGO_BYTES) {
      throw new SangdamException(ErrorCode.TOO_LARGE, "the logo must be at most 200 KB");
    }
    String type = pictureType(image).orElseThrow(() -> new SangdamException(ErrorCode.UNSUPPORTED_TYPE,
        "the logo must be a PNG, JPEG or WebP picture"));
    WidgetSettings now = settings(centerId);
    if (store.settings(centerId).isEmpty()) {
      store.save(tenantId, centerId, now);
    }
    store.saveLogo(centerId, new WidgetStore.Logo(image, type));
    return withLogo(now, true);
  }

  public WidgetSettings removeLogo(long centerId) {
    WidgetSettings now = settings(centerId);
    if (now.hasLogo()) {
      store.saveLogo(centerId, null);
    }
    return withLogo(now, false);
  }

  public Optional<WidgetStore.Logo> logo(long centerId) {
    return store.logo(centerId);
  }

  private static WidgetSettings withLogo(WidgetSettings s, boolean hasLogo) {
    return new WidgetSettings(s.title(), s.brandColor(), s.welcome(), s.logoUrl(), hasLogo, s.allowTranscript(),
        s.form());
  }

  /** SVG is refused on purpose: it may carry script. */
  private static Optional<String> pictureType(byte[] b) {
    if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return Optional.of("image/png");
    }
    if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return Optional.of("image/jpeg");
    }
    if (b.length > 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
        && b[10] == 'B' && b[11] == 'P') {
      return Optional.of("image/webp");
    }
    return Optional.empty();
  }

  /**
   * The pre-chat answers in a {@code start}'s {@code form}, checked against the center's form; empty when the
   * center asks none or the customer is verified (the company vouched for them). Answers to a form the center
   * does not ask, or to another version of its consent, are refused: nothing is kept.
   */
  public Optional<PreChatAnswers> check(long centerId, boolean verified, JsonNode given) {
    PreChatForm form = settings(centerId).form();
    boolean present = given != null && !given.isNull();
    if (!form.enabled() || verified) {
      if (present) {
        throw Fields.invalid("form", verified ? "is not asked of a verified customer"
            : "is not asked by this center");
      }
      return Optional.empty();
    }
    if (!present) {
      throw Fields.missing("form");
    }
    if (!given.isObject()) {
      throw Fields.invalid("form", "must be an object");
    }
    Fields f = new Fields(given);
    String name = answer(f, "name", 50, form.name());
    String contact = answer(f, "contact", 100, form.contact());
    if (contact != null && !PHONE.matcher(contact).matches() && !EMAIL.matcher(contact).matches()) {
      throw Fields.invalid("form.contact", "must be a phone number or an e-mail address");
    }
    String type = null;
    if (!form.inquiryTypes().isEmpty()) {
      type = f.optString("inquiryType", 40).orElseThrow(() -> Fields.missing("form.inquiryType"));
      if (!form.inquiryTypes().contains(type)) {
        throw Fields.invalid("form.inquiryType", "must be one of the center's inquiry types");
      }
    } else if (f.has("inquiryType")) {
      throw Fields.invalid("form.inquiryType", "is not asked by this center");
    }
    if (!form.consentRequired()) {
      return Optional.of(new PreChatAnswers(name, contact, type, null, null, null));
    }
    if (!f.optBool("consent").orElse(false)) {
      throw Fields.missing("form.consent");
    }
    int version = f.optInt("consentVersion", 1, Integer.MAX_VALUE)
        .orElseThrow(() -> Fields.missing("form.consentVersion"));
    if (version != form.consentVersion()) {
      throw Fields.invalid("form.consentVersion", "is not the center's current consent (version "
          + form.consentVersion() + "); read it again");
    }
    Instant now = clock.instant();
    return Optional.of(new PreChatAnswers(name, contact, type, version, form.consentText(), now));
  }

  /** Keeps the answers with the conversation they opened. */
  public void keep(long tenantId, long conversationId, PreChatAnswers answers) {
    store.saveAnswers(tenantId, conversationId, answers, clock.instant());
  }

  public Optional<PreChatAnswers> answersOf(long conversationId) {
    return store.answers(conversationId);
  }

  private static String answer(Fields f, String field, int max, Ask ask) {
    String name = "form." + field;
    Optional<String> value = nonBlank(optString(f, field, name, max)).map(String::strip);
    if (ask == Ask.OFF && value.isPresent()) {
      throw Fields.invalid(name, "is not asked by this center");
    }
    if (ask == Ask.REQUIRED && value.isEmpty()) {
      throw Fields.missing(name);
    }
    if (value.isPresent() && HIDDEN.matcher(value.get()).find()) {
      throw Fields.invalid(name, "must not contain control characters");
    }
    return value.orElse(null);
  }

  /** As {@link Fields#optString}, with the error naming the field as the client sent it ({@code form.name}). */
  private static Optional<String> optString(Fields f, String field, String fullName, int max) {
    JsonNode v = f.node().get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw Fields.invalid(fullName, "must be a string");
    }
    if (v.textValue().length() > max) {
      throw Fields.invalid(fullName, "must be at most " + max + " characters");
    }
    return Optional.of(v.textValue());
  }

  private static String line(Fields body, String name, int max) {
    Optional<String> value = nonBlank(body.optString(name, max)).map(String::strip);
    if (value.isPresent() && HIDDEN.matcher(value.get()).find()) {
      throw Fields.invalid(name, "must be one line without control characters");
    }
    return value.orElse(null);
  }

  private static Optional<String> nonBlank(Optional<String> value) {
    return value.filter(v -> !v.isBlank());
  }
}
