package io.sangdam.search;

import static java.util.Objects.requireNonNull;

import io.sangdam.accesslog.AccessLog;
import io.sangdam.accesslog.AccessRecord;
import io.sangdam.accesslog.Reader;
import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.chat.Note;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Role;
import io.sangdam.privacy.Masking;
import io.sangdam.privacy.PiiItem;
import io.sangdam.privacy.PiiMasking;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Finds conversations and reads transcripts, each within the caller's scope: HQ everything, a
 * tenant admin their tenant, a center manager their center, an agent the conversations they
 * carried. What leaves here is masked (names, contacts, personal numbers in messages); a manager
 * or admin may unmask one item at a time, and each unmask is written to the audit log. Every read that returns
 * personal data (a page of results, a transcript, an unmask, an export) is written to the access records before it
 * returns, and fails if it cannot be. Blocks.
 */
public final class ConversationSearch {
  public static final int MAX_PAGE = 200;
  /** The most conversations one export holds: a larger one is refused, so the caller narrows the period. */
  public static final int MAX_EXPORT = 10_000;
  /** The most conversations the index found that one query checks against the database. */
  private static final int MAX_CHUNK = 20_000;
  /**
   * The most conversations holding the text that one search reads from the index (and checks against the database,
   * a chunk at a time) to fill a page: an agent's own chats among a tenant's year, say. Past it the page is short and
   * its cursor goes on from there.
   */
  static final int MAX_HITS = 100_000;
  /** The fewest characters a text to look for holds. */
  static final int MIN_TEXT = 2;

  private final SearchStore store;
  private final MessageIndexer index;
  private final Directory directory;
  private final AuditLog audit;
  private final AccessLog access;

  public ConversationSearch(SearchStore store, MessageIndexer index, Directory directory, AuditLog audit,
      AccessLog access) {
    this.store = requireNonNull(store, "store");
    this.index = requireNonNull(index, "index");
    this.directory = requireNonNull(directory, "directory");
    this.audit = requireNonNull(audit, "audit");
    this.access = requireNonNull(access, "access");
  }

  /** A page of results and the cursor of the next one (null on the last page). */
  public record Page(List<SearchStore.Found> conversations, String nextCursor) {}

  /** A conversation with its masked transcript, internal notes and tags. */
  public record Transcript(SearchStore.Found conversation, List<StoredMessage> messages,
      List<Note> notes, List<String> tags) {}

  /**
   * Narrows {@code criteria} to the caller's scope (a manager's center, an agent's own chats) and
   * returns the page after {@code cursor}. Results are masked; a page with any is on the access records.
   */
  public Page search(Reader reader, SearchStore.Criteria criteria, Optional<String> cursor, int limit) {
    Access.require(reader.principal(), Permission.TRANSCRIPTS_READ);
    checkText(criteria);
    SearchStore.Criteria scoped = scoped(reader.principal(), criteria);
    if (cursor.isPresent()) {
      Cursor c = Cursor.parse(cursor.get());
      scoped = new SearchStore.Criteria(scoped.tenantId(), scoped.centerId(), scoped.centerIds(), scoped.queueId(),
          scoped.agentId(),
          scoped.carriedBy(), scoped.state(), scoped.from(), scoped.to(), scoped.categoryId(), scoped.customer(),
          scoped.text(), scoped.channels(), c.createdAt(), c.id());
    }
    Results result = found(reader.principal(), scoped, limit + 1);
    List<SearchStore.Found> found = result.conversations();
    String next = null;
    if (found.size() > limit) {
      found = found.subList(0, limit);
      SearchStore.Found last = found.get(limit - 1);
      next = new Cursor(last.createdAt(), last.id()).encode();
    } else if (result.stoppedAt() != null) {
      // A short page: the next one goes on from where the index's reading stopped.
      next = new Cursor(result.stoppedAt().createdAt(), result.stoppedAt().conversationId()).encode();
    }
    if (!found.isEmpty()) {
      access.record(searched(reader, scoped, found));
    }
    return new Page(found.stream().map(ConversationSearch::masked).toList(), next);
  }

  /**
   * The access record of a page of results: {@code search}, or {@code search-pii} for a reader who may unmask
   * looking for personal items written whole (a phone number, a card number...), which the results may hold only
   * unmasked: the items are named masked, as a transcript shows them.
   */
  private static AccessRecord searched(Reader reader, SearchStore.Criteria scoped, List<SearchStore.Found> found) {
    List<PiiItem> items = scoped.text() == null || !reader.principal().may(Permission.PII_UNMASK) ? List.of()
        : PiiMasking.find(scoped.text());
    String conversations = "conversations of tenant " + scoped.tenantId();
    if (items.isEmpty()) {
      return AccessRecord.of(reader, scoped.tenantId(), scoped.centerId(), "search", conversations, customers(found),
          null);
    }
    return AccessRecord.of(reader, scoped.tenantId(), scoped.centerId(), "search-pii", conversations + " holding "
        + items.stream().map(PiiItem::masked).collect(Collectors.joining(", ")), customers(found),
        null);
  }

  /**
   * Every conversation matching {@code criteria} in the caller's scope, newest first, masked as in a search, for a
   * CSV export; on the access records with its {@code reason} before it is returned. More than {@link #MAX_EXPORT}
   * is refused: the caller narrows the period.
   */
  public List<SearchStore.Found> export(Reader reader, SearchStore.Criteria criteria, String reason) {
    Access.require(reader.principal(), Permission.TRANSCRIPTS_READ);
    checkText(criteria);
    SearchStore.Criteria scoped = scoped(reader.principal(), criteria);
    Results result = found(reader.principal(), scoped, MAX_EXPORT + 1);
    List<SearchStore.Found> found = result.conversations();
    if (found.size() > MAX_EXPORT) {
      throw Fields.invalid("to", "gives more than " + MAX_EXPORT + " conversations to export: choose a shorter period");
    }
    if (result.stoppedAt() != null) {
      throw Fields.invalid("to", "gives more than " + MAX_HITS + " conversations holding the text to check: choose a "
          + "shorter period");
    }
    access.record(AccessRecord.of(reader, scoped.tenantId(), scoped.centerId(), "export",
        found.size() + " conversations of tenant " + scoped.tenantId(), customers(found), reason));
    return found.stream().map(ConversationSearch::masked).toList();
  }

  /**
   * At most {@code limit} conversations matching {@code criteria}, newest first, and where the reading stopped short
   * of the page ({@code stoppedAt}: the last conversation the index gave when {@link #MAX_HITS} were read, null when
   * the page is whole or nothing is left). A text is looked up in the index (in the masked text only, unless the
   * caller may unmask), held to the caller's centers there, which gives its conversations newest first from the
   * cursor on, a chunk at a time; each chunk is checked against the database (scope, filters, still there) until the
   * page is full, the index has no more, or {@link #MAX_HITS} were read.
   */
  private Results found(Principal p, SearchStore.Criteria criteria, int limit) {
    if (criteria.text() == null) {
      return new Results(store.search(criteria, null, limit), null);
    }
    boolean unmasked = p.may(Permission.PII_UNMASK);
    Set<Long> centers = criteria.centerId() != null ? Set.of(criteria.centerId()) : criteria.centerIds();
    MessageIndex.Hit after = criteria.afterCreatedAt() == null ? null
        : new MessageIndex.Hit(criteria.afterId(), criteria.afterCreatedAt());
    List<SearchStore.Found> found = new ArrayList<>();
    int chunk = Math.max(4 * limit, 200);
    long read = 0;
    while (true) {
      List<MessageIndex.Hit> hits = index.find(criteria.tenantId(), centers, criteria.text(), unmasked,
          criteria.from(), criteria.to(), after, chunk);
      read += hits.size();
      if (hits.isEmpty()) {
        return new Results(found, null);
      }
      found.addAll(store.search(criteria, hits.stream().map(MessageIndex.Hit::conversationId).toList(),
          limit - found.size()));
      if (found.size() >= limit || hits.size() < chunk) {
        return new Results(found, null);
      }
      after = hits.get(hits.size() - 1);
      if (read >= MAX_HITS) {
        return new Results(found, after);
      }
      chunk = (int) Math.min(Math.min(2L * chunk, MAX_CHUNK), MAX_HITS - read);
    }
  }

  /** Conversations found, and where the reading stopped short of a whole page (null: it did not). */
  private record Results(List<SearchStore.Found> conversations, MessageIndex.Hit stoppedAt) {}

  /**
   * A text to look for, as the index takes it: at least {@link #MIN_TEXT} characters (a single one would match a
   * good part of every tenant's messages).
   */
  private static void checkText(SearchStore.Criteria criteria) {
    String text = criteria.text();
    if (text != null && text.codePointCount(0, text.length()) < MIN_TEXT) {
      throw Fields.invalid("q", "must be at least " + MIN_TEXT + " characters");
    }
  }

  /**
   * The caller's scope laid over {@code criteria}: a manager's center (and a custom role's further centers: all of
   * them when none is named), an agent's own chats.
   */
  private static SearchStore.Criteria scoped(Principal p, SearchStore.Criteria criteria) {
    if (p.role() != Role.CENTER_MANAGER && p.role() != Role.AGENT) {
      return criteria;
    }
    if (criteria.centerId() != null && !Access.sees(p, criteria.tenantId(), criteria.centerId())) {
      throw SangdamException.notFound("center");
    }
    Set<Long> centers = new HashSet<>(p.extraCenters());
    centers.add(p.centerId());
    return new SearchStore.Criteria(criteria.tenantId(), criteria.centerId(), criteria.centerId() == null
        ? Set.copyOf(centers) : null, criteria.queueId(), criteria.agentId(),
        p.role() == Role.AGENT ? Long.valueOf(p.id()) : null, criteria.state(), criteria.from(), criteria.to(),
        criteria.categoryId(), criteria.customer(), criteria.text(), criteria.channels(), null, null);
  }

  /** The data subjects of {@code found}: each customer once, in the order they came. */
  private static List<Long> customers(List<SearchStore.Found> found) {
    return new ArrayList<>(found.stream().map(SearchStore.Found::customerId)
        .collect(Collectors.toCollection(LinkedHashSet::new)));
  }

  /** A conversation in the caller's scope with its transcript, masked; on the access records. */
  public Transcript transcript(Reader reader, long conversationId) {
    Principal p = reader.principal();
    Access.require(p, Permission.TRANSCRIPTS_READ);
    SearchStore.Found c = visible(p, conversationId);
    List<StoredMessage> messages = store.transcript(conversationId).stream().map(m -> new StoredMessage(
        m.conversationId(), m.seq(), m.senderKind(), m.senderId(), m.cmid(), PiiMasking.mask(m.body()), m.at(),
        m.attachment(), false, m.name(), m.buttons(), m.button(), m.notice())).toList();
    // A whisper is for its agent and managers; an agent reading a past chat sees the notes, not whispers.
    List<Note> notes = store.notes(conversationId).stream()
        .filter(n -> p.role() != Role.AGENT || !n.kind().equals("WHISPER"))
        .map(n -> new Note(n.id(), n.conversationId(), n.authorId(), n.kind(), null, PiiMasking.mask(n.body()), n.at(),
            false)).toList();
    Transcript read = new Transcript(masked(c), messages, notes, store.tags(conversationId));
    access.record(AccessRecord.of(reader, c.tenantId(), c.centerId(), "transcript", "conversation " + conversationId,
        List.of(c.customerId()), null));
    return read;
  }

  /** What one unmask reveals: the customer's name or contact, or the n-th personal item of a message. */
  public sealed interface Item {
    record CustomerName() implements Item {}

    record CustomerContact() implements Item {}

    record InMessage(long seq, int index) implements Item {}
  }

  /**
   * The original of one masked item, for a manager or admin in scope; audited and on the access records before it
   * is returned.
   */
  public String unmask(Reader reader, long conversationId, Item item) {
    Principal p = reader.principal();
    Access.require(p, Permission.PII_UNMASK);
    SearchStore.Found c = visible(p, conversationId);
    String value;
    String what;
    if (item instanceof Item.CustomerName) {
      value = c.customerName();
      what = "customer name";
    } else if (item instanceof Item.CustomerContact) {
      value = Optional.ofNullable(c.customerContact()).orElseThrow(() -> SangdamException.notFound("contact"));
      what = "customer contact";
    } else {
      Item.InMessage in = (Item.InMessage) item;
      StoredMessage m = store.transcript(conversationId).stream().filter(x -> x.seq() == in.seq()).findFirst()
          .orElseThrow(() -> SangdamException.notFound("message " + in.seq()));
      List<PiiItem> items = PiiMasking.find(m.body());
      if (in.index() < 0 || in.index() >= items.size()) {
        throw SangdamException.notFound("item " + in.index() + " of message " + in.seq());
      }
      value = items.get(in.index()).original();
      what = items.get(in.index()).kind().name().toLowerCase(Locale.ROOT) + " #" + in.index()
          + " of message " + in.seq();
    }
    audit.record(new AuditEntry(p.id(), p.user().username(), c.tenantId(), c.centerId(), "pii.unmask",
        "conversation " + conversationId, what, reader.address()));
    access.record(AccessRecord.of(reader, c.tenantId(), c.centerId(), "unmask", "conversation " + conversationId
        + ": " + what, List.of(c.customerId()), null));
    return value;
  }

  /**
   * The customer's pre-chat answers as {@code read} gives them (it throws when there are none): the conversation in
   * the caller's scope, read with {@code transcripts.read} above an agent; on the access records, once read, unless
   * it is the reader's own open chat.
   */
  public <T> T preChatAnswers(Reader reader, long conversationId, Supplier<T> read) {
    Principal p = reader.principal();
    if (p.role() != Role.AGENT) {
      Access.require(p, Permission.TRANSCRIPTS_READ);
    }
    SearchStore.Found c = visible(p, conversationId);
    T answers = read.get();
    boolean ownLiveChat = Long.valueOf(p.id()).equals(c.agentId()) && c.closedAt() == null;
    if (!ownLiveChat) {
      access.record(AccessRecord.of(reader, c.tenantId(), c.centerId(), "pre-chat", "conversation " + conversationId,
          List.of(c.customerId()), null));
    }
    return answers;
  }


  /** The conversation if the caller may see it; else not found, as if it did not exist. */
  private SearchStore.Found visible(Principal p, long conversationId) {
    SearchStore.Found c = store.conversation(conversationId)
        .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId));
    boolean visible = switch (p.role()) {
      case AGENT -> store.wasAssigned(conversationId, p.id());
      default -> directory.center(c.centerId()).map((Center center) -> Access.sees(p, center)).orElse(false);
    };
    if (!visible) {
      throw SangdamException.notFound("conversation " + conversationId);
    }
    return c;
  }

  private static SearchStore.Found masked(SearchStore.Found c) {
    return new SearchStore.Found(c.id(), c.tenantId(), c.centerId(), c.queueId(), c.customerId(),
        Masking.name(c.customerName()), Masking.contact(c.customerContact()), c.agentId(), c.state(), c.createdAt(),
        c.assignedAt(), c.closedAt(), c.closeReason(), c.categoryId(), c.transfers(), c.csatScore(),
        c.csatComment() == null ? null : PiiMasking.mask(c.csatComment()), c.channel());
  }

  /** Where a page ended: the last result's creation time and id, opaque to clients. */
  private record Cursor(Instant createdAt, long id) {
    String encode() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt.toEpochMilli() + ":" + id)
          .getBytes(StandardCharsets.US_ASCII));
    }

    static Cursor parse(String text) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII).split(":");
        return new Cursor(Instant.ofEpochMilli(Long.parseLong(parts[0])), Long.parseLong(parts[1]));
      } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
        throw new SangdamException(ErrorCode.INVALID_FIELD, "field 'cursor' is not a cursor this server gave");
      }
    }
  }
}
