package io.sangdam.api;

import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import io.sangdam.directory.Center;
import io.sangdam.directory.Directory;
import io.sangdam.directory.NewQueue;
import io.sangdam.directory.Queue;
import io.sangdam.directory.RoutingPolicy;
import io.sangdam.directory.Tenant;
import io.sangdam.protocol.Fields;
import io.sangdam.protocol.SangdamException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A center's queues (상담 유형), managed by HQ, tenant admins and the center's managers. */
public final class QueueEndpoints implements Endpoints {
  private static final String QUEUES = "/api/tenants/{tenant}/centers/{center}/queues";

  private final Directory directory;

  public QueueEndpoints(Directory directory) {
    this.directory = directory;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route("GET", QUEUES, true, this::list),
        new Route("POST", QUEUES, true, this::create),
        new Route("GET", QUEUES + "/{queue}", true, this::read),
        new Route("PUT", QUEUES + "/{queue}", true, this::update));
  }

  private Center center(Call call) {
    Access.require(call.principal(), Permission.MANAGE_CENTERS);
    return Scope.center(directory, call, Scope.tenant(directory, call));
  }

  private Queue queue(Call call, Center center) {
    String code = call.param("queue");
    return directory.queue(center.id(), code.toLowerCase(Locale.ROOT))
        .orElseThrow(() -> SangdamException.notFound("queue '" + code + "'"));
  }

  private ApiResponse list(Call call) {
    Center center = center(call);
    return ApiResponse.ok(Paging.page(call, directory.queues(center.id()).stream().map(q -> view(center, q))
        .toList()));
  }

  private ApiResponse read(Call call) {
    Center center = center(call);
    return ApiResponse.ok(view(center, queue(call, center)));
  }

  private ApiResponse create(Call call) {
    Center center = center(call);
    Fields body = call.body();
    String code = body.slug("code");
    String name = body.string("name", 100);
    RoutingPolicy policy = body.oneOf("policy", RoutingPolicy.class);
    Optional<Queue> overflowTo = body.optString("overflowTo", 65).map(target -> overflowTarget(call, target));
    Queue queue = directory.createQueue(center, new NewQueue(code, name, policy,
        body.optInt("maxChatsPerAgent", 1, 50).orElse(Directory.DEFAULT_MAX_CHATS),
        body.optInt("priority", -100, 100).orElse(0), body.optBool("preferPreviousAgent").orElse(false),
        overflowTo.map(Queue::id).orElse(null), body.optInt("overflowAfterSeconds", 1, 86_400).orElse(null)));
    return ApiResponse.created(view(center, queue));
  }

  /**
   * Any of {@code name}, {@code policy}, {@code maxChatsPerAgent}, {@code priority},
   * {@code preferPreviousAgent}, {@code overflowTo} with {@code overflowAfterSeconds} (both null
   * to stop overflowing), {@code enabled}; what is left out stays.
   */
  private ApiResponse update(Call call) {
    Center center = center(call);
    Queue q = queue(call, center);
    Fields body = call.body();
    Long overflowId = q.overflowQueueId();
    Integer overflowAfter = q.overflowAfterSeconds();
    if (body.node().has("overflowTo")) {
      overflowId = body.optString("overflowTo", 65).map(target -> overflowTarget(call, target).id()).orElse(null);
      overflowAfter = body.optInt("overflowAfterSeconds", 1, 86_400).orElse(null);
    } else if (body.has("overflowAfterSeconds")) {
      overflowAfter = body.optInt("overflowAfterSeconds", 1, 86_400).orElseThrow();
    }
    NewQueue changed = new NewQueue(q.code(), body.optString("name", 100).orElse(q.name()),
        body.has("policy") ? body.oneOf("policy", RoutingPolicy.class) : q.policy(),
        body.optInt("maxChatsPerAgent", 1, 50).orElse(q.maxChatsPerAgent()),
        body.optInt("priority", -100, 100).orElse(q.priority()),
        body.optBool("preferPreviousAgent").orElse(q.preferPreviousAgent()), overflowId, overflowAfter);
    return ApiResponse.ok(view(center, directory.updateQueue(q, changed, body.optBool("enabled").orElse(q.enabled()))));
  }

  /** {@code "center/queue"}: a queue of any center of the same tenant. */
  private Queue overflowTarget(Call call, String target) {
    String[] parts = target.split("/", -1);
    if (parts.length != 2 || !Fields.SLUG.matcher(parts[0]).matches() || !Fields.SLUG.matcher(parts[1]).matches()) {
      throw Fields.invalid("overflowTo", "must be \"center/queue\"");
    }
    Tenant tenant = Scope.tenant(directory, call);
    return directory.center(tenant.id(), parts[0]).flatMap(c -> directory.queue(c.id(), parts[1]))
        .orElseThrow(() -> Fields.invalid("overflowTo", "names unknown queue '" + target + "'"));
  }

  private Map<String, Object> view(Center c, Queue q) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", q.id());
    out.put("center", c.code());
    out.put("code", q.code());
    out.put("name", q.name());
    out.put("policy", q.policy().name());
    out.put("maxChatsPerAgent", q.maxChatsPerAgent());
    out.put("priority", q.priority());
    out.put("preferPreviousAgent", q.preferPreviousAgent());
    out.put("overflowTo", q.overflowQueueId() == null ? null : directory.queue(q.overflowQueueId())
        .flatMap(target -> directory.center(target.centerId()).map(tc -> tc.code() + "/" + target.code()))
        .orElse(null));
    out.put("overflowAfterSeconds", q.overflowAfterSeconds());
    out.put("enabled", q.enabled());
    return out;
  }
}
