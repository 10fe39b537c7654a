package io.sangdam.api;

import io.sangdam.accesslog.Reader;
import io.sangdam.customer.CustomerProfiles;
import io.sangdam.protocol.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The customer of a conversation for the agent console's panel: read, and edit the name, contact and memo.
 * The agent carrying the conversation, or a manager or admin who sees it; any other caller is told it does
 * not exist.
 */
public final class CustomerProfileEndpoints implements Endpoints {
  private static final String CUSTOMER = "/api/conversations/{id}/customer";
  private static final Set<String> FIELDS = Set.of("name", "contact", "memo");
  private static final int MAX_ECHOED = 40;

  private final CustomerProfiles profiles;

  public CustomerProfileEndpoints(CustomerProfiles profiles) {
    this.profiles = profiles;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", CUSTOMER, true, this::read),
        new Route("PUT", CUSTOMER, true, this::update));
  }

  private ApiResponse read(Call call) {
    return ApiResponse.ok(view(profiles.read(new Reader(call.principal(), call.request().remoteAddress()),
        Scope.id(call, "id", "conversation"))));
  }

  /**
   * {@code {"name"?,"contact"?,"memo"?}}: what is given changes (an empty contact or memo clears it); an unknown
   * field is refused, so a misspelt one is never silently dropped.
   */
  private ApiResponse update(Call call) {
    long id = Scope.id(call, "id", "conversation");
    Fields body = call.body();
    body.node().fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        // Named back, but never at any length a caller chooses.
        throw Fields.invalid(name.length() > MAX_ECHOED ? name.substring(0, MAX_ECHOED) + "…" : name,
            "is not a field of a customer (name, contact, memo)");
      }
    });
    // The lengths are checked again on the stripped value; here only what no valid value comes near.
    return ApiResponse.ok(view(profiles.update(call.principal(), id,
        body.optString("name", 10 * CustomerProfiles.MAX_NAME),
        body.optString("contact", 10 * CustomerProfiles.MAX_CONTACT),
        body.optString("memo", 10 * CustomerProfiles.MAX_MEMO), call.request().remoteAddress())));
  }

  private static Map<String, Object> view(CustomerProfiles.Shown shown) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("conversation", shown.conversationId());
    out.put("id", shown.profile().id());
    out.put("name", shown.name());
    out.put("contact", shown.contact());
    out.put("memo", shown.memo());
    out.put("masked", !shown.full());
    return out;
  }
}
