package io.sangdam.api;

import io.sangdam.accesslog.AccessRecord;
import io.sangdam.accesslog.Reader;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.auth.Principal;
import io.sangdam.channel.Channels;
import io.sangdam.chat.Attachment;
import io.sangdam.chat.StoredMessage;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.directory.Tenant;
import io.sangdam.directory.User;
import io.sangdam.privacy.PiiMasking;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import io.sangdam.protocol.ServerMessage;
import io.sangdam.search.ConversationSearch;
import io.sangdam.search.SearchStore;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Conversation search and transcripts, masked, with one-item unmasking for managers and admins, and the search's
 * results as CSV ({@code format=csv}, with a {@code reason}). Codes in filters name things in the path's tenant;
 * what is out of the caller's scope is not found. Every read is on the access records (ConversationSearch).
 */
public final class SearchEndpoints implements Endpoints {
  private static final Set<String> STATES = Set.of("BOT", "WAITING", "ASSIGNED", "HOLD", "CLOSED", "ABANDONED");
  private static final DateTimeFormatter CSV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final Directory directory;
  private final ConversationSearch search;
  private final ChannelFilter channels;

  public SearchEndpoints(Directory directory, ConversationSearch search, Channels channels) {
    this.directory = directory;
    this.search = search;
    this.channels = new ChannelFilter(channels);
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", "/api/tenants/{tenant}/conversations", true, this::search),
        new Route("GET", "/api/conversations/{id}", true, this::transcript),
        new Route("POST", "/api/conversations/{id}/unmask", true, this::unmask));
  }

  /**
   * Filters {@code center}, {@code queue} (with center), {@code agent}, {@code state}, {@code from}, {@code to},
   * {@code category}, {@code customer}, {@code q}, {@code channel}, {@code channelKind}; {@code limit}, {@code cursor};
   * or {@code format=csv} with a {@code reason}: every match as a file.
   */
  private ApiResponse search(Call call) {
    boolean csv = call.query("format").map(f -> switch (f) {
      case "json" -> false;
      case "csv" -> true;
      default -> throw Fields.invalid("format", "must be json or csv");
    }).orElse(false);
    // Asked first: a file without its reason is refused before any search runs.
    String reason = csv ? AccessRecord.reason(call.query("reason").orElse(null)) : null;
    Principal p = call.principal();
    Tenant tenant = Scope.tenant(directory, call);
    Center center = call.query("center").map(code -> Access.requireCenter(p,
        directory.center(tenant.id(), code.toLowerCase(Locale.ROOT)).orElse(null), code)).orElse(null);
    Queue queue = call.query("queue").map(code -> {
      if (center == null) {
        throw Fields.invalid("queue", "needs a center");
      }
      return directory.queue(center.id(), code.toLowerCase(Locale.ROOT))
          .orElseThrow(() -> SangdamException.notFound("queue '" + code + "'"));
    }).orElse(null);
    Long agentId = call.query("agent").map(username -> directory.user(tenant.id(), username).map(User::id)
        .orElseThrow(() -> SangdamException.notFound("agent '" + username + "'"))).orElse(null);
    String state = call.query("state").map(s -> s.toUpperCase(Locale.ROOT)).orElse(null);
    if (state != null && !STATES.contains(state)) {
      throw Fields.invalid("state", "must be one of " + new TreeSet<>(STATES));
    }
    ZoneId zone = Dates.zone(call, directory, tenant.id(), center);
    Long category = call.query("category").map(id -> {
      try {
        return Long.parseLong(id);
      } catch (NumberFormatException e) {
        throw Fields.invalid("category", "must be a category id");
      }
    }).orElse(null);
    Set<String> channelCodes = channels.codes(call, tenant.id());
    String customer = text(call, "customer");
    String q = text(call, "q");
    SearchStore.Criteria criteria = new SearchStore.Criteria(tenant.id(), center == null ? null : center.id(), null,
        queue == null ? null : queue.id(), agentId, null, state,
        Dates.date(call, "from").map(d -> d.atStartOfDay(zone).toInstant()).orElse(null),
        Dates.date(call, "to").map(d -> d.plusDays(1).atStartOfDay(zone).toInstant()).orElse(null),
        category, customer, q, channelCodes, null, null);
    Reader reader = new Reader(p, call.request().remoteAddress());
    if (csv) {
      List<SearchStore.Found> found = search.export(reader, criteria, reason);
      String name = "sangdam-conversations-" + tenant.code() + ".csv";
      return ApiResponse.ok(new ApiResponse.FileBody(csv(found, zone), "text/csv; charset=utf-8", name, false));
    }
    int limit = call.query("limit").map(l -> {
      try {
        return Integer.parseInt(l);
      } catch (NumberFormatException e) {
        return -1;
      }
    }).orElse(50);
    if (limit < 1 || limit > ConversationSearch.MAX_PAGE) {
      throw Fields.invalid("limit", "must be between 1 and " + ConversationSearch.MAX_PAGE);
    }
    ConversationSearch.Page page = search.search(reader, criteria, call.query("cursor"), limit);
    Map<String, String> kinds = channels.kinds(tenant.id());
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("conversations", page.conversations().stream().map(c -> view(c, kinds)).toList());
    answer.put("nextCursor", page.nextCursor());
    return ApiResponse.ok(answer);
  }

  /**
   * As the statistics' CSV: UTF-8 with a byte-order mark for Excel, CRLF lines; names and contacts masked as on
   * screen, times in {@code zone}.
   */
  private byte[] csv(List<SearchStore.Found> found, ZoneId zone) {
    StringBuilder out = new StringBuilder("\uFEFF");
    out.append("번호,센터,상담 유형,채널,상태,고객,연락처,상담사,시작,종료,종료 사유,만족도\r\n");
    for (SearchStore.Found c : found) {
      String[] cells = {String.valueOf(c.id()), directory.center(c.centerId()).map(Center::name).orElse(""),
          directory.queue(c.queueId()).map(Queue::name).orElse(""), c.channel() == null ? "" : c.channel(), c.state(),
          c.customerName() == null ? "" : c.customerName(), c.customerContact() == null ? "" : c.customerContact(),
          c.agentId() == null ? "" : directory.user(c.agentId()).map(User::name).orElse(""),
          c.createdAt().atZone(zone).format(CSV_TIME),
          c.closedAt() == null ? "" : c.closedAt().atZone(zone).format(CSV_TIME),
          c.closeReason() == null ? "" : c.closeReason(), c.csatScore() == null ? "" : String.valueOf(c.csatScore())};
      for (int i = 0; i < cells.length; i++) {
        out.append(i == 0 ? "" : ",").append(StatsEndpoints.cell(cells[i]));
      }
      out.append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String text(Call call, String name) {
    return call.query(name).map(String::strip).filter(t -> !t.isEmpty()).map(t -> {
      if (t.length() > 100) {
        throw Fields.invalid(name, "must be at most 100 characters");
      }
      return t;
    }).orElse(null);
  }

  private ApiResponse transcript(Call call) {
    ConversationSearch.Transcript t = search.transcript(new Reader(call.principal(), call.request().remoteAddress()),
        Scope.id(call, "id", "conversation"));
    Map<String, Object> answer = view(t.conversation(), channels.kinds(t.conversation().tenantId()));
    answer.put("tags", t.tags());
    answer.put("messages", t.messages().stream().map(m -> message(t.conversation(), m)).toList());
    answer.put("notes", t.notes().stream().map(n -> {
      Map<String, Object> note = new LinkedHashMap<>();
      note.put("id", n.id());
      note.put("kind", n.kind());
      note.put("author", directory.user(n.authorId()).map(User::name).orElse(""));
      note.put("text", n.body());
      note.put("at", n.at().toString());
      return note;
    }).toList());
    return ApiResponse.ok(answer);
  }

  /** {@code {"field":"customerName"|"customerContact"}} or {@code {"seq":n,"item":i}} -> {@code {"value"}}. */
  private ApiResponse unmask(Call call) {
    Access.require(call.principal(), Permission.PII_UNMASK);
    long id = Scope.id(call, "id", "conversation");
    Fields body = call.body();
    ConversationSearch.Item item;
    if (body.has("field")) {
      item = switch (body.string("field", 20)) {
        case "customerName" -> new ConversationSearch.Item.CustomerName();
        case "customerContact" -> new ConversationSearch.Item.CustomerContact();
        default -> throw Fields.invalid("field", "must be customerName or customerContact");
      };
    } else {
      item = new ConversationSearch.Item.InMessage(body.nonNegative("seq"),
          body.optInt("item", 0, 1000).orElseThrow(() -> Fields.missing("item")));
    }
    return ApiResponse.ok(Map.of("value", search.unmask(new Reader(call.principal(), call.request().remoteAddress()),
        id, item)));
  }

  /** {@code kinds}: the tenant's channel codes and their kinds. */
  private Map<String, Object> view(SearchStore.Found c, Map<String, String> kinds) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", c.id());
    out.put("tenant", directory.tenant(c.tenantId()).map(Tenant::code).orElse(null));
    out.put("center", directory.center(c.centerId()).map(Center::code).orElse(null));
    out.put("queue", directory.queue(c.queueId()).map(Queue::code).orElse(null));
    out.put("channel", c.channel());
    out.put("channelKind", kinds.get(c.channel()));
    out.put("state", c.state());
    out.put("customer", Map.of("id", c.customerId(), "name", c.customerName(),
        "contact", c.customerContact() == null ? "" : c.customerContact()));
    out.put("agent", c.agentId() == null ? null : directory.user(c.agentId())
        .map(u -> Map.of("username", u.username(), "name", u.name())).orElse(null));
    out.put("createdAt", c.createdAt().toString());
    out.put("assignedAt", c.assignedAt() == null ? null : c.assignedAt().toString());
    out.put("closedAt", c.closedAt() == null ? null : c.closedAt().toString());
    out.put("closeReason", c.closeReason());
    out.put("category", c.categoryId() == null ? null : directory.category(c.categoryId())
        .map(cat -> Map.of("id", cat.id(), "name", cat.name())).orElse(null));
    out.put("transfers", c.transfers());
    out.put("csat", c.csatScore() == null ? null : c.csatComment() == null ? Map.of("score", c.csatScore())
        : Map.of("score", c.csatScore(), "comment", c.csatComment()));
    return out;
  }

  private Map<String, Object> message(SearchStore.Found c, StoredMessage m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seq", m.seq());
    out.put("from", m.senderKind().wire());
    out.put("name", switch (m.senderKind()) {
      case CUSTOMER -> c.customerName();
      case AGENT -> directory.user(m.senderId()).map(User::name).orElse("");
      case SYSTEM -> "";
      case BOT -> m.name() == null ? "" : m.name();
    });
    out.put("text", m.body());
    if (m.notice() != null) {
      out.put("key", m.notice().key());
      out.put("params", m.notice().params());
    }
    out.put("at", m.at().toString());
    Attachment a = m.attachment();
    if (a != null) {
      out.put("attachment", ServerMessage.AttachmentView.of(a.id(), PiiMasking.mask(a.name()), a.size(),
          a.contentType(), a.hasPreview()));
    }
    return out;
  }
}
