package io.sangdam.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sangdam.audit.AuditEntry;
import io.sangdam.audit.AuditLog;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Tenant;
import io.sangdam.privacy.Masking;
import io.sangdam.privacy.PiiMasking;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every successful change made through the management API ({@code /api/tenants...}) goes to the
 * audit log as {@code manage.<method>} on the request's path: who, which route, the resource before
 * (as its own {@code GET} showed it), the request and the result, with passwords, tokens and secrets
 * blanked and customers' personal data masked. Written before the answer leaves; a failed write is logged
 * as an error, not answered, since the change itself is already committed.
 */
public final class ManagementAudit {
  private static final Logger log = LoggerFactory.getLogger(ManagementAudit.class);
  /**
   * Credentials a channel's partner issued (ChannelKind's hidden settings) are blanked as secrets are; so is any
   * field whose name ends in one of {@link #SECRET_SUFFIXES} (a directory's {@code bindPassword}, say), so that a
   * new secret setting is blanked without being listed here.
   */
  private static final Set<String> SECRET_FIELDS = Set.of("password", "token", "secret", "clientSecret",
      "authHeader", "authorizationKey");
  private static final List<String> SECRET_SUFFIXES = List.of("password", "secret", "token", "key");
  /**
   * Customers' personal data a management call may carry, masked as staff screens mask it ({@link Masking}), so that
   * the audit log, read by every admin for years, shows who changed what about which customer without showing who
   * that customer is. Matched by field name wherever it occurs, as secrets are, so that a new route using these names
   * is masked without being listed here. Identifiers (a channel's user key, the company's external id) keep their first
   * and last character; contacts are masked as on screen; free text written about a customer keeps its words with the
   * personal items in it masked ({@link PiiMasking}). {@code name} and {@code contact} count only inside a
   * {@code customer} object: centers, queues, staff and the widget's form have fields of those names too.
   */
  private static final Set<String> IDENTIFIERS = Set.of("user", "externalId", "linkedBefore");
  private static final Set<String> CONTACTS = Set.of("phone", "email", "customerContact");
  private static final Set<String> NAMES = Set.of("customerName");
  private static final Set<String> FREE_TEXT = Set.of("note", "outcomeNote", "reason", "memo");
  private static final String CUSTOMER = "customer";

  /** Three parts of this size stay well within the detail column (TEXT, 64 KiB). */
  static final int MAX_PART_CHARS = 8_000;

  /**
   * POSTs that only answer and change nothing (a scenario checked without saving, a question tried on the FAQ):
   * the last segment of their path.
   */
  private static final Set<String> DRY_RUNS = Set.of("validate", "try");

  private final AuditLog audit;
  private final Directory directory;
  private final Json json;

  public ManagementAudit(AuditLog audit, Directory directory, Json json) {
    this.audit = audit;
    this.directory = directory;
    this.json = json;
  }

  /** Whether the call would change something under management (whatever its outcome). */
  static boolean changes(Call call, Route route) {
    return call.principal() != null && !route.method().equals("GET") && route.pattern().startsWith("/api/tenants")
        && !DRY_RUNS.contains(route.pattern().substring(route.pattern().lastIndexOf('/') + 1));
  }

  static boolean concerns(Call call, Route route, ApiResponse response) {
    return changes(call, route) && response.status() < 400;
  }

  /** {@code before}: the resource as its {@code GET} showed it before the change, or null. */
  void record(Call call, Route route, ApiResponse before, ApiResponse response) {
    Long tenantId = call.param("tenant") == null ? null
        : directory.tenantByCode(call.param("tenant").toLowerCase(Locale.ROOT)).map(Tenant::id).orElse(null);
    ObjectNode detail = json.mapper().createObjectNode();
    detail.put("route", route.method() + " " + route.pattern());
    if (before != null && before.body() != null) {
      detail.set("before", bounded(withheld(json.mapper().valueToTree(before.body()))));
    }
    if (call.request().body().length > 0) {
      detail.set("request", bounded(request(call.request().body())));
    }
    if (response.body() != null) {
      detail.set("result", bounded(withheld(json.mapper().valueToTree(response.body()))));
    }
    AuditEntry entry = new AuditEntry(call.principal().id(), call.principal().user().username(), tenantId,
        call.principal().centerId(), "manage." + route.method().toLowerCase(Locale.ROOT), call.request().path(),
        detail.toString(), call.request().remoteAddress());
    try {
      audit.record(entry);
    } catch (RuntimeException e) {
      // The change is committed; failing the answer would only make the caller repeat it.
      log.error("AUDIT ENTRY LOST for a committed change: {} (write failed: {})", entry, e.toString());
    }
  }

  /** A part over {@value #MAX_PART_CHARS} characters is kept as its size: the log stays readable and within its column. */
  private JsonNode bounded(JsonNode part) {
    String text = part.toString();
    return text.length() <= MAX_PART_CHARS ? part
        : json.mapper().getNodeFactory().textNode("(" + text.length() + " characters, too long to keep)");
  }

  /**
   * The request body as JSON with secrets blanked and personal data masked; a body the route ignored need not be
   * JSON.
   */
  private JsonNode request(byte[] body) {
    try {
      return withheld(json.readObject(new ByteArrayInputStream(body)).deepCopy());
    } catch (SangdamException e) {
      return json.mapper().getNodeFactory().textNode("(" + body.length + " bytes, not JSON)");
    }
  }

  /** {@code node} (changed in place) with secrets blanked and customers' personal data masked. */
  static JsonNode withheld(JsonNode node) {
    return withheld(node, false);
  }

  private static JsonNode withheld(JsonNode node, boolean ofCustomer) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String lower = name.toLowerCase(Locale.ROOT);
        JsonNode value = object.get(name);
        if (SECRET_FIELDS.contains(name) || SECRET_SUFFIXES.stream().anyMatch(lower::endsWith)) {
          object.put(name, "***");
        } else if (value.isTextual()) {
          object.put(name, masked(name, value.asText(), ofCustomer));
        } else {
          withheld(value, name.equals(CUSTOMER));
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(element -> withheld(element, ofCustomer));
    }
    return node;
  }

  /** The value of field {@code name} as the audit keeps it: masked if it is a customer's personal data. */
  private static String masked(String name, String value, boolean ofCustomer) {
    if (IDENTIFIERS.contains(name) || NAMES.contains(name) || (ofCustomer && name.equals("name"))) {
      return Masking.name(value);
    }
    if (CONTACTS.contains(name) || (ofCustomer && name.equals("contact"))) {
      return Masking.contact(value);
    }
    return FREE_TEXT.contains(name) ? PiiMasking.mask(value) : value;
  }
}
