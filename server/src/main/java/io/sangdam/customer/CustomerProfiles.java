package io.sangdam.customer;

import static java.util.Objects.requireNonNull;

import io.sangdam.accesslog.AccessLog;
import io.sangdam.accesslog.AccessRecord;
import io.sangdam.accesslog.Reader;
import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationLookup;
import io.sangdam.directory.Role;
import io.sangdam.privacy.Masking;
import io.sangdam.privacy.PiiMasking;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The customer of a conversation, read and edited from the agent console's panel. The agent carrying the
 * conversation reads the name and memo in full and the contact masked (as everywhere an agent sees it); a
 * manager or admin in scope reads all three masked, as in search, and unmasks through search's audited
 * unmask. Either may edit; each edit is written to the audit log, without the values. A read is on the access
 * records unless it is the reader's own live chat. Blocks.
 */
public final class CustomerProfiles {
  public static final int MAX_NAME = 50;
  public static final int MAX_CONTACT = 100;
  public static final int MAX_MEMO = 1000;

  /** A phone number as people write one: digits with spaces, dashes, dots, brackets and a leading plus. */
  private static final Pattern PHONE = Pattern.compile("\\+?\\(?[0-9][0-9 ().-]{5,30}");
  /** As many digits as a phone number has, from a local 7 to the international 15 (E.164). */
  private static final int MIN_DIGITS = 7;
  private static final int MAX_DIGITS = 15;
  private static final Pattern EMAIL = Pattern.compile("[^\\s@]{1,64}@[^\\s@]+\\.[^\\s@]+");

  private final CustomerProfileStore store;
  private final ConversationLookup conversations;
  private final AuditLog audit;
  private final AccessLog access;

  public CustomerProfiles(CustomerProfileStore store, ConversationLookup conversations, AuditLog audit,
      AccessLog access) {
    this.store = requireNonNull(store, "store");
    this.conversations = requireNonNull(conversations, "conversations");
    this.audit = requireNonNull(audit, "audit");
    this.access = requireNonNull(access, "access");
  }

  /** What the caller may see of the customer: {@code full} for the agent carrying the conversation. */
  public record Shown(long conversationId, CustomerProfile profile, boolean full) {
    public String name() {
      return full ? profile.name() : Masking.name(profile.name());
    }

    public String contact() {
      return Masking.contact(profile.contact());
    }

    public String memo() {
      return full || profile.memo() == null ? profile.memo() : PiiMasking.mask(profile.memo());
    }
  }

  /** The customer of a conversation the caller may act on; any other is not found. */
  public Shown read(Reader reader, long conversationId) {
    Principal p = reader.principal();
    if (p.role() != Role.AGENT) {
      Access.require(p, Permission.TRANSCRIPTS_READ);
    }
    Conversation c = visible(p, conversationId);
    Shown shown = new Shown(c.id(), profile(c), p.role() == Role.AGENT);
    if (!(c.state().isOpen() && c.isAssignedTo(p.id()))) {
      access.record(AccessRecord.of(reader, c.tenantId(), c.centerId(), "profile", "customer " + c.customerId()
          + " of conversation " + c.id(), List.of(c.customerId()), null));
    }
    return shown;
  }

  /**
   * Changes what is given ({@code null}: keep; an empty contact or memo clears it) after checking every value;
   * answers as {@link #read}.
   */
  public Shown update(Principal p, long conversationId, Optional<String> name, Optional<String> contact,
      Optional<String> memo, String remoteAddress) {
    if (p.role() != Role.AGENT) {
      // Above an agent, editing a customer is a supervisor's work: a reviewer who only reads transcripts may not.
      Access.require(p, Permission.CONVERSATIONS_SUPERVISE);
    }
    Conversation c = visible(p, conversationId);
    if (name.isEmpty() && contact.isEmpty() && memo.isEmpty()) {
      throw Fields.missing("name");
    }
    String newName = name.map(CustomerProfiles::name).orElse(null);
    String newContact = contact.map(CustomerProfiles::contact).orElse(null);
    String newMemo = memo.map(CustomerProfiles::memo).orElse(null);
    CustomerProfile before = profile(c);
    CustomerProfile after = new CustomerProfile(before.id(), before.tenantId(),
        newName != null ? newName : before.name(),
        contact.isPresent() ? emptyToNull(newContact) : before.contact(),
        memo.isPresent() ? emptyToNull(newMemo) : before.memo());
    if (!store.update(c.tenantId(), c.customerId(), after.name(), after.contact(), after.memo())) {
      throw SangdamException.notFound("customer of conversation " + conversationId);
    }
    StringBuilder what = new StringBuilder();
    name.ifPresent(x -> what.append("name "));
    contact.ifPresent(x -> what.append("contact "));
    memo.ifPresent(x -> what.append("memo "));
    audit.record(new AuditEntry(p.id(), p.user().username(), c.tenantId(), c.centerId(), "customer.update",
        "customer " + c.customerId(), what.toString().strip() + " (conversation " + c.id() + ")", remoteAddress));
    return new Shown(c.id(), after, p.role() == Role.AGENT);
  }

  private CustomerProfile profile(Conversation c) {
    return store.find(c.tenantId(), c.customerId())
        .orElseThrow(() -> SangdamException.notFound("customer of conversation " + c.id()));
  }

  /** 1 to 50 characters on one line. */
  static String name(String value) {
    String v = value.strip();
    if (v.isEmpty()) {
      throw Fields.invalid("name", "must not be blank");
    }
    if (v.codePointCount(0, v.length()) > MAX_NAME) {
      throw Fields.invalid("name", "must be at most " + MAX_NAME + " characters");
    }
    if (hidden(v, false)) {
      throw Fields.invalid("name", "must be one line without control characters");
    }
    return v;
  }

  /** A phone number or an e-mail address, or empty to clear. */
  static String contact(String value) {
    String v = value.strip();
    if (v.length() > MAX_CONTACT) {
      throw Fields.invalid("contact", "must be at most " + MAX_CONTACT + " characters");
    }
    if (!v.isEmpty() && !phone(v) && !EMAIL.matcher(v).matches()) {
      throw Fields.invalid("contact", "must be a phone number or an e-mail address");
    }
    return v;
  }

  private static boolean phone(String v) {
    long digits = v.chars().filter(ch -> ch >= '0' && ch <= '9').count();
    return PHONE.matcher(v).matches() && digits >= MIN_DIGITS && digits <= MAX_DIGITS;
  }

  /** Up to 1,000 characters; lines and tabs allowed, other control characters not. */
  static String memo(String value) {
    String v = value.strip();
    if (v.codePointCount(0, v.length()) > MAX_MEMO) {
      throw Fields.invalid("memo", "must be at most " + MAX_MEMO + " characters");
    }
    if (hidden(v, true)) {
      throw Fields.invalid("memo", "must not contain control characters");
    }
    return v;
  }

  /**
   * Whether text holds what a reader does not see but a screen obeys: control characters (but lines and tabs,
   * where {@code lines}), and the bidirectional overrides that make a name read backwards.
   */
  private static boolean hidden(String text, boolean lines) {
    return text.codePoints().anyMatch(cp -> (Character.getType(cp) == Character.CONTROL
        && !(lines && (cp == '\n' || cp == '\t' || cp == '\r')))
        || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
        || cp == 0x2028 || cp == 0x2029);
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private Conversation visible(Principal p, long conversationId) {
    return conversations.find(conversationId)
        .filter(c -> p.role() == Role.AGENT ? c.isAssignedTo(p.id()) : Access.sees(p, c.tenantId(), c.centerId()))
        .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId));
  }
}
