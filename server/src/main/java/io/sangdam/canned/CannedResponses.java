package io.sangdam.canned;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates, finds and fills canned responses. An agent may use the tenant's, their center's and
 * their own; when two share a shortcut, the nearest wins (own, then center, then tenant).
 * Methods block on the database.
 */
public final class CannedResponses {
  /** Lowercase letters, digits and dashes, like codes, so {@code /refund-2} reads the same everywhere. */
  private static final Pattern SHORTCUT = Fields.SLUG;
  private static final int MAX_BODY = Fields.MAX_TEXT;
  private static final Pattern VARIABLE = Pattern.compile("\\{([a-z.]+)\\}");
  /** Most answers to one lookup: a picker, not a report. */
  public static final int MAX_MATCHES = 20;

  private final CannedStore store;

  public CannedResponses(CannedStore store) {
    this.store = requireNonNull(store, "store");
  }

  public CannedResponse create(long tenantId, Long centerId, Long ownerId, String title, String shortcut,
      String body) {
    String cut = normalized(shortcut);
    if (!SHORTCUT.matcher(cut).matches()) {
      throw Fields.invalid("shortcut", "must be letters, digits and dashes after an optional slash, like /refund");
    }
    requireText("title", title, 100);
    requireText("body", body, MAX_BODY);
    try {
      return store.insert(tenantId, centerId, ownerId, title, cut, body);
    } catch (CannedStore.DuplicateShortcutException e) {
      throw new SangdamException(ErrorCode.CONFLICT, "shortcut /" + cut + " is already used at this level");
    }
  }

  public Optional<CannedResponse> find(long tenantId, long id) {
    return store.find(id).filter(c -> c.tenantId() == tenantId);
  }

  public List<CannedResponse> ofTenant(long tenantId) {
    return store.ofTenant(tenantId);
  }

  public CannedResponse update(CannedResponse c, Optional<String> title, Optional<String> body,
      Optional<Boolean> enabled) {
    title.ifPresent(t -> requireText("title", t, 100));
    body.ifPresent(b -> requireText("body", b, MAX_BODY));
    store.update(c.id(), title.orElse(c.title()), body.orElse(c.body()), enabled.orElse(c.enabled()));
    return store.find(c.id()).orElseThrow();
  }

  /**
   * What an agent finds for what they typed: after a slash, shortcuts starting with it; otherwise
   * responses whose title or body holds every word. Nearest level first, then by shortcut.
   */
  public List<CannedResponse> lookup(long tenantId, long centerId, long agentId, String query) {
    String q = query.strip().toLowerCase(Locale.ROOT);
    List<CannedResponse> usable = usable(tenantId, centerId, agentId);
    if (q.startsWith("/") || q.isEmpty()) {
      String prefix = q.isEmpty() ? "" : q.substring(1);
      return usable.stream().filter(c -> c.shortcut().startsWith(prefix)).limit(MAX_MATCHES).toList();
    }
    List<String> words = Arrays.stream(q.split("\\s+")).filter(w -> !w.isEmpty()).toList();
    return usable.stream()
        .filter(c -> {
          String text = (c.title() + " " + c.body()).toLowerCase(Locale.ROOT);
          return words.stream().allMatch(text::contains);
        })
        .limit(MAX_MATCHES).toList();
  }

  /** The response an agent means by {@code /shortcut} (the nearest level's), if any. */
  public Optional<CannedResponse> byShortcut(long tenantId, long centerId, long agentId, String shortcut) {
    String cut = normalized(shortcut);
    return usable(tenantId, centerId, agentId).stream().filter(c -> c.shortcut().equals(cut)).findFirst();
  }

  /** An enabled response the agent may use, by id. */
  public Optional<CannedResponse> usableById(long tenantId, long centerId, long agentId, long id) {
    return usable(tenantId, centerId, agentId).stream().filter(c -> c.id() == id).findFirst();
  }

  private List<CannedResponse> usable(long tenantId, long centerId, long agentId) {
    return store.usableBy(tenantId, centerId, agentId).stream()
        .filter(CannedResponse::enabled)
        .sorted(Comparator.comparingInt((CannedResponse c) -> c.ownerId() != null ? 0 : c.centerId() != null ? 1 : 2)
            .thenComparing(CannedResponse::shortcut))
        .toList();
  }

  /**
   * Fills {@code {customer.name}}, {@code {agent.name}} and {@code {center.name}}; other braces stay as written. The
   * body is read once: a value goes in as written, never filled in turn, since the customer chooses their own name
   * (a customer named "{agent.name}" is called that, not by the agent's name).
   */
  public static String fill(String body, Map<String, String> variables) {
    return VARIABLE.matcher(body).replaceAll(
        m -> Matcher.quoteReplacement(variables.getOrDefault(m.group(1), m.group())));
  }

  private static String normalized(String shortcut) {
    String s = shortcut == null ? "" : shortcut.strip().toLowerCase(Locale.ROOT);
    return s.startsWith("/") ? s.substring(1) : s;
  }

  private static void requireText(String field, String value, int max) {
    if (value == null) {
      throw Fields.missing(field);
    }
    if (value.isBlank() || value.length() > max) {
      throw Fields.invalid(field, "must be 1 to " + max + " characters");
    }
  }
}
