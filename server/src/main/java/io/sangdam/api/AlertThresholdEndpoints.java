package io.sangdam.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.dashboard.AlertThreshold;
import io.sangdam.dashboard.AlertThresholds;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.Queue;
import io.sangdam.protocol.Fields;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A center's alert thresholds for the live board ({@code /api/tenants/{tenant}/centers/{center}/alert-thresholds}):
 * read and replaced by whoever manages the center (HQ, its tenant's admin, its manager).
 */
public final class AlertThresholdEndpoints implements Endpoints {
  private static final String PATH = "/api/tenants/{tenant}/centers/{center}/alert-thresholds";
  private static final Set<String> LIMITS = Set.of("waiting", "longestWaitSeconds");

  private final Directory directory;
  private final AlertThresholds thresholds;

  public AlertThresholdEndpoints(Directory directory, AlertThresholds thresholds) {
    this.directory = directory;
    this.thresholds = thresholds;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route("GET", PATH, true, this::read), new Route("PUT", PATH, true, this::replace));
  }

  private Center center(Call call) {
    Access.require(call.principal(), Permission.MANAGE_CENTERS);
    return Scope.center(directory, call, Scope.tenant(directory, call));
  }

  private ApiResponse read(Call call) {
    return ApiResponse.ok(view(center(call)));
  }

  /**
   * {@code {"center": {"waiting"?, "longestWaitSeconds"?}?, "queues": {"<queue code>": {...}}?}}: replaces every
   * threshold of the center; a figure left out or null has no alert. Checked whole before anything is stored.
   */
  private ApiResponse replace(Call call) {
    Center center = center(call);
    JsonNode body = call.body().node();
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("center") && !name.equals("queues")) {
        throw Fields.invalid(name, "is not a part of the thresholds: center and queues are");
      }
    }
    List<AlertThreshold> wanted = new ArrayList<>();
    if (present(body.get("center"))) {
      wanted.add(limits(body.get("center"), "center", center.id(), null));
    }
    JsonNode queues = body.get("queues");
    if (present(queues)) {
      if (!queues.isObject()) {
        throw Fields.invalid("queues", "must be an object of queue codes");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = queues.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String code = entry.getKey();
        Queue queue = directory.queue(center.id(), code)
            .orElseThrow(() -> Fields.invalid("queues." + code, "is not a queue of center '" + center.code() + "'"));
        if (present(entry.getValue())) {
          wanted.add(limits(entry.getValue(), "queues." + code, center.id(), queue.id()));
        }
      }
    }
    thresholds.replace(center.id(), wanted);
    return ApiResponse.ok(view(center));
  }

  private static boolean present(JsonNode node) {
    return node != null && !node.isNull();
  }

  private static AlertThreshold limits(JsonNode node, String name, long centerId, Long queueId) {
    if (!node.isObject()) {
      throw Fields.invalid(name, "must be an object with waiting and longestWaitSeconds");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!LIMITS.contains(field)) {
        throw Fields.invalid(name + "." + field, "is not a threshold: waiting and longestWaitSeconds are");
      }
    }
    return new AlertThreshold(centerId, queueId, limit(node, name, "waiting", AlertThreshold.MAX_WAITING),
        limit(node, name, "longestWaitSeconds", AlertThreshold.MAX_WAIT_SECONDS));
  }

  private static Integer limit(JsonNode node, String name, String field, int max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1 || v.intValue() > max) {
      throw Fields.invalid(name + "." + field, "must be a whole number from 1 to " + max);
    }
    return v.intValue();
  }

  private Map<String, Object> view(Center center) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("center", thresholds.center(center.id()).map(AlertThresholdEndpoints::limits).orElse(null));
    Map<String, Object> queues = new LinkedHashMap<>();
    for (Queue q : directory.queues(center.id())) {
      thresholds.queue(center.id(), q.id()).ifPresent(t -> queues.put(q.code(), limits(t)));
    }
    out.put("queues", queues);
    return out;
  }

  static Map<String, Object> limits(AlertThreshold t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("waiting", t.waiting());
    out.put("longestWaitSeconds", t.longestWaitSeconds());
    return out;
  }
}
