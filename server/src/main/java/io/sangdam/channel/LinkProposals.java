package io.sangdam.channel;

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
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Proposals to link a channel's customer to the external id the company knows them by ({@link CustomerLinks}):
 * whoever learnt who the customer is proposes (the agent carrying the conversation, a manager or admin who
 * sees it, or a bot form that collected a verified identity), and a tenant admin accepts, which links the
 * customer, or rejects. Proposing is written to the audit log here, since it comes from the agents' API or
 * from a bot, outside the management API whose changes (accepting, rejecting) are audited as every other; the
 * external ids in it masked, as the management audit masks them.
 * Reading proposals shows whose they are, so staff reads go on the access records. Blocks.
 */
public final class LinkProposals {
  /** As long as the column that keeps it, and as {@link CustomerLinks} takes it. */
  public static final int MAX_EXTERNAL_ID = 100;
  public static final int MAX_NOTE = 500;
  public static final int MAX_REASON = 500;
  /** The access records' action for a read of proposals. */
  private static final String READ = "link-proposals";
  /** The proposals shown with one conversation: its customer's latest. */
  private static final int PER_CUSTOMER = 20;

  private final LinkProposalStore store;
  private final ChannelStore channels;
  private final ConversationLookup conversations;
  private final AuditLog audit;
  private final AccessLog access;
  private final Clock clock;

  public LinkProposals(LinkProposalStore store, ChannelStore channels, ConversationLookup conversations,
      AuditLog audit, AccessLog access, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.channels = requireNonNull(channels, "channels");
    this.conversations = requireNonNull(conversations, "conversations");
    this.audit = requireNonNull(audit, "audit");
    this.access = requireNonNull(access, "access");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * A user proposes for the customer of a conversation they may act on: an agent one they carry (or carried
   * when it ended), anyone above an agent one in their scope; any other is not found.
   */
  public LinkProposal.Proposed propose(Principal p, long conversationId, String externalId, String note,
      String remoteAddress) {
    Conversation c = visible(p, conversationId);
    return propose(c, new LinkProposal.Proposer.User(p.id(), p.user().username()), externalId, note,
        remoteAddress);
  }

  /**
   * The bot (or any other part of the server acting on its own) proposes for the customer of conversation
   * {@code conversationId}, which it serves: no user's scope applies.
   */
  public LinkProposal.Proposed propose(long conversationId, LinkProposal.Proposer by, String externalId,
      String note) {
    Conversation c = conversations.find(conversationId)
        .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId));
    return propose(c, by, externalId, note, null);
  }

  private LinkProposal.Proposed propose(Conversation c, LinkProposal.Proposer by, String externalId, String note,
      String remoteAddress) {
    String id = externalId(externalId);
    String kept = note(note);
    if (Conversation.WEB.equals(c.channel())) {
      throw new SangdamException(ErrorCode.CONFLICT, "conversation " + c.id() + " is the widget's, not a "
          + "channel's: a widget customer is known by the identity the company's page verifies, not by a link");
    }
    Optional<String> linked = channels.externalId(c.customerId());
    if (linked.isPresent() && linked.get().equals(id)) {
      throw new SangdamException(ErrorCode.CONFLICT, "the customer of conversation " + c.id()
          + " is already linked to '" + id + "'");
    }
    LinkProposal.Proposed proposed = store.propose(c.tenantId(), c.customerId(), id, kept, c.id(),
        linked.orElse(null), by, now());
    if (proposed.created()) {
      LinkProposal made = proposed.proposal();
      Long actorId = by instanceof LinkProposal.Proposer.User u ? u.userId() : null;
      String actor = by instanceof LinkProposal.Proposer.User u ? u.username()
          : "bot:" + ((LinkProposal.Proposer.Bot) by).name();
      audit.record(new AuditEntry(actorId, actor, c.tenantId(), c.centerId(), "customer.link.propose",
          "link proposal " + made.id(), "customer " + c.customerId() + " on channel '" + c.channel()
              + "' (conversation " + c.id() + ") is '" + Masking.name(id) + "'"
              + (made.linkedBefore() == null ? "" : ", now linked to '" + Masking.name(made.linkedBefore()) + "'"),
          remoteAddress));
    }
    return proposed;
  }

  /**
   * The proposals for the customer of a conversation the user may act on (none for a widget conversation); on the
   * access records when there are any, unless it is the reader's own open chat (as the customer's profile).
   */
  public List<LinkProposal> forConversation(Reader reader, long conversationId) {
    Principal p = reader.principal();
    Conversation c = visible(p, conversationId);
    List<LinkProposal> found = Conversation.WEB.equals(c.channel()) ? List.of()
        : store.forCustomer(c.tenantId(), c.customerId(), PER_CUSTOMER);
    if (!found.isEmpty() && !ownLiveChat(p, c)) {
      access.record(AccessRecord.of(reader, c.tenantId(), c.centerId(), READ, "customer " + c.customerId()
          + " of conversation " + c.id(), List.of(c.customerId()), null));
    }
    return found;
  }

  /**
   * Whether {@code p} sees the external ids of the proposals of conversation {@code conversationId} in clear: with
   * {@code pii.unmask}, or in their own live chat, whose customer its agent sees in full.
   */
  public boolean inClear(Principal p, long conversationId) {
    return p.may(Permission.PII_UNMASK) || ownLiveChat(p, visible(p, conversationId));
  }

  private static boolean ownLiveChat(Principal p, Conversation c) {
    return c.state().isOpen() && c.isAssignedTo(p.id());
  }

  /**
   * The tenant's proposals in {@code status}, newest first; a page that names any customer is on the access records
   * with each customer on it (as a page of search results).
   */
  public List<LinkProposal> list(Reader reader, long tenantId, LinkProposal.Status status, int offset, int limit) {
    List<LinkProposal> found = store.list(tenantId, requireNonNull(status, "status"), offset, limit);
    if (!found.isEmpty()) {
      List<Long> customers = List.copyOf(found.stream().map(LinkProposal::customerId)
          .collect(Collectors.toCollection(LinkedHashSet::new)));
      access.record(AccessRecord.of(reader, tenantId, null, READ, status.name().toLowerCase(Locale.ROOT)
          + " link proposals of tenant " + tenantId, customers, null));
    }
    return found;
  }

  /** Accepts a pending proposal: the customer is linked to its external id. */
  public LinkProposal accept(long tenantId, long id, Principal by) {
    decided(tenantId, id, store.accept(tenantId, id, by.id(), now()));
    return store.find(tenantId, id).orElseThrow();
  }

  /** Rejects a pending proposal for {@code reason}. */
  public LinkProposal reject(long tenantId, long id, Principal by, String reason) {
    String why = reason == null ? null : reason.strip();
    if (why == null || why.isEmpty()) {
      throw why == null ? Fields.missing("reason") : Fields.invalid("reason", "must not be blank");
    }
    if (why.length() > MAX_REASON) {
      throw Fields.invalid("reason", "must be at most " + MAX_REASON + " characters");
    }
    decided(tenantId, id, store.reject(tenantId, id, by.id(), why, now()));
    return store.find(tenantId, id).orElseThrow();
  }

  private void decided(long tenantId, long id, LinkProposalStore.Outcome outcome) {
    switch (outcome) {
      case DONE -> { }
      case UNKNOWN -> throw SangdamException.notFound("link proposal " + id);
      case DECIDED -> throw new SangdamException(ErrorCode.CONFLICT, "link proposal " + id + " is already "
          + store.find(tenantId, id).map(x -> x.status().name().toLowerCase(Locale.ROOT)).orElse("decided"));
      case LINK_CHANGED -> {
        LinkProposal p = store.find(tenantId, id).orElseThrow();
        String now = channels.externalId(p.customerId()).map(x -> "linked to '" + x + "'").orElse("not linked");
        throw new SangdamException(ErrorCode.CONFLICT, "the customer of link proposal " + id + " was "
            + (p.linkedBefore() == null ? "not linked" : "linked to '" + p.linkedBefore() + "'")
            + " when it was proposed and is " + now + " now; reject it, or propose again");
      }
    }
  }

  /** The external id as {@link CustomerLinks} takes it: 1 to 100 characters, not blank. */
  private static String externalId(String value) {
    if (value == null) {
      throw Fields.missing("externalId");
    }
    if (value.isBlank()) {
      throw Fields.invalid("externalId", "must not be blank");
    }
    if (value.length() > MAX_EXTERNAL_ID) {
      throw Fields.invalid("externalId", "must be at most " + MAX_EXTERNAL_ID + " characters");
    }
    return value;
  }

  /** An optional note of at most 500 characters; a blank one is none. */
  private static String note(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > MAX_NOTE) {
      throw Fields.invalid("note", "must be at most " + MAX_NOTE + " characters");
    }
    return value.strip();
  }

  private Conversation visible(Principal p, long conversationId) {
    return conversations.find(conversationId)
        .filter(c -> p.role() == Role.AGENT ? c.isAssignedTo(p.id()) : Access.sees(p, c.tenantId(), c.centerId()))
        .orElseThrow(() -> SangdamException.notFound("conversation " + conversationId));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
