package io.sangdam.api;

import static java.util.Objects.requireNonNull;

import io.sangdam.auth.Access;
import io.sangdam.auth.Permission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/cluster} (HQ only): the nodes serving this database, and which centers each owns. */
public final class ClusterEndpoints implements Endpoints {
  private final ClusterStatus status;

  public ClusterEndpoints(ClusterStatus status) {
    this.status = requireNonNull(status, "status");
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route("GET", "/api/cluster", true, this::readCluster));
  }

  private ApiResponse readCluster(Call call) {
    Access.require(call.principal(), Permission.CLUSTER_READ);
    ClusterStatus.View view = status.view();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("clustered", view.clustered());
    body.put("node", view.node());
    body.put("nats", Map.of("connected", view.natsConnected()));
    body.put("othersKnown", view.othersKnown());
    body.put("nodes", view.nodes().stream().map(ClusterEndpoints::member).toList());
    return ApiResponse.ok(body);
  }

  private static Map<String, Object> member(ClusterStatus.Member m) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("name", m.name());
    node.put("version", m.version());
    node.put("protocol", m.protocol());
    node.put("host", m.host());
    node.put("port", m.port());
    node.put("startedAt", m.startedAt().toString());
    node.put("heartbeatAgeMs", m.heartbeatAge().toMillis());
    node.put("centers", m.centers());
    node.put("leases", m.leases().stream().map(l -> {
      Map<String, Object> lease = new LinkedHashMap<>();
      lease.put("center", l.center());
      lease.put("fence", l.fence());
      lease.put("since", l.since().toString());
      lease.put("renewedAgoMs", l.renewedAgo().toMillis());
      return lease;
    }).toList());
    return node;
  }
}
