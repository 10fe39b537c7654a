package io.sangdam.api;

import io.sangdam.accesslog.Reader;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.channel.LinkProposal;
import io.sangdam.channel.LinkProposals;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.privacy.Masking;
import io.sangdam.privacy.PiiMasking;
import io.sangdam.protocol.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Proposals to link a channel's customer to an external id: the agent carrying the conversation (or a
 * manager or admin who sees it) proposes and reads where its customer's proposals stand; HQ and the tenant's
 * admins list them and accept (the customer is linked) or reject. Names, keys and notes are shown masked,
 * as in search; the external ids (proposed, and the one linked before) in clear only to a reader who may unmask, or
 * to the agent in their own live chat with the customer.
 * Reading them is on the access records ({@link LinkProposals}).
 */
public final class LinkProposalEndpoints implements Endpoints {
  private static final String OF_CONVERSATION = "/api/conversations/{id}/customer-link-proposals";
  private static final String PROPOSALS = "/api/tenants/{tenant}/customers/link-proposals";

  private final Directory directory;
  private final LinkProposals proposals;

  public LinkProposalEndpoints(Directory directory, LinkProposals proposals) {
    this.directory = directory;
    this.proposals = proposals;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("POST", OF_CONVERSATION, true, this::propose),
        new Route("GET", OF_CONVERSATION, true, this::ofConversation),
        new Route("GET", PROPOSALS, true, this::list),
        new Route("POST", PROPOSALS + "/{proposal}/accept", true, this::accept),
        new Route("POST", PROPOSALS + "/{proposal}/reject", true, this::reject));
  }

  /** {@code {"externalId","note"?}} -> 201 with the proposal; 200 with the one already pending for that id. */
  private ApiResponse propose(Call call) {
    long conversation = Scope.id(call, "id", "conversation");
    Fields body = call.body();
    LinkProposal.Proposed proposed = proposals.propose(call.principal(), conversation,
        body.optString("externalId", LinkProposals.MAX_EXTERNAL_ID).orElse(null),
        body.optString("note", LinkProposals.MAX_NOTE).orElse(null), call.request().remoteAddress());
    Map<String, Object> view = view(proposed.proposal(), proposals.inClear(call.principal(), conversation));
    return proposed.created() ? ApiResponse.created(view) : ApiResponse.ok(view);
  }

  private ApiResponse ofConversation(Call call) {
    long conversation = Scope.id(call, "id", "conversation");
    List<LinkProposal> found = proposals.forConversation(reader(call), conversation);
    boolean inClear = proposals.inClear(call.principal(), conversation);
    return ApiResponse.ok(found.stream().map(p -> view(p, inClear)).toList());
  }

  /** {@code ?status=pending|accepted|rejected} (default pending), newest first, paged. */
  private ApiResponse list(Call call) {
    Tenant tenant = tenant(call);
    String given = call.query("status").orElse("pending");
    LinkProposal.Status status;
    try {
      status = LinkProposal.Status.valueOf(given.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Fields.invalid("status", "must be pending, accepted or rejected");
    }
    Paging.Window page = Paging.window(call);
    return ApiResponse.ok(proposals.list(reader(call), tenant.id(), status, page.offset(), page.limit()).stream()
        .map(p -> view(p, unmasks(call))).toList());
  }

  private ApiResponse accept(Call call) {
    Tenant tenant = tenant(call);
    return ApiResponse.ok(view(proposals.accept(tenant.id(), Scope.id(call, "proposal", "link proposal"),
        call.principal()), unmasks(call)));
  }

  /** {@code {"reason"}} -> 200 with the proposal. */
  private ApiResponse reject(Call call) {
    Tenant tenant = tenant(call);
    long id = Scope.id(call, "proposal", "link proposal");
    String reason = call.body().optString("reason", LinkProposals.MAX_REASON).orElse(null);
    return ApiResponse.ok(view(proposals.reject(tenant.id(), id, call.principal(), reason), unmasks(call)));
  }

  private Tenant tenant(Call call) {
    Access.require(call.principal(), Permission.CUSTOMERS_LINK);
    return Scope.tenant(directory, call);
  }

  private static Reader reader(Call call) {
    return new Reader(call.principal(), call.request().remoteAddress());
  }

  private static boolean unmasks(Call call) {
    return call.principal().may(Permission.PII_UNMASK);
  }

  /** The proposal with its external ids {@code unmasked} or not. */
  private Map<String, Object> view(LinkProposal p, boolean unmasked) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", p.id());
    out.put("status", p.status().name());
    out.put("conversation", p.conversationId());
    out.put("channel", p.channel());
    out.put("user", Masking.contact(p.user()));
    out.put("customer", Map.of("id", p.customerId(), "name", Masking.name(p.customerName())));
    out.put("externalId", unmasked ? p.externalId() : Masking.name(p.externalId()));
    out.put("note", p.note() == null ? null : PiiMasking.mask(p.note()));
    out.put("linkedBefore", unmasked ? p.linkedBefore() : Masking.name(p.linkedBefore()));
    Map<String, Object> by = new LinkedHashMap<>();
    if (p.proposedBy() instanceof LinkProposal.Proposer.User u) {
      by.put("kind", "USER");
      by.put("username", u.username());
      by.put("name", directory.user(u.userId()).map(User::name).orElse(u.username()));
    } else {
      by.put("kind", "BOT");
      by.put("name", ((LinkProposal.Proposer.Bot) p.proposedBy()).name());
    }
    out.put("proposedBy", by);
    out.put("proposedAt", p.proposedAt().toString());
    out.put("decidedBy", p.decidedBy() == null ? null : directory.user(p.decidedBy())
        .map(u -> Map.of("username", u.username(), "name", u.name())).orElse(null));
    out.put("decidedAt", p.decidedAt() == null ? null : p.decidedAt().toString());
    out.put("reason", p.reason());
    return out;
  }
}
