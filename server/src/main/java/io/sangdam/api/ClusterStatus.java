package io.sangdam.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /api/cluster} shows: whether this server is one node of several, its name, its
 * link to NATS, and every live node with the centers it owns. Supplied by the composition root:
 * {@link SingleNode} for a server alone, the cluster's registry and leases otherwise, so this
 * package knows nothing of NATS.
 */
public interface ClusterStatus {
  /** Called on the blocking executor: it may ask NATS. */
  View view();

  /**
   * {@code natsConnected}: always false for a single node, which uses no NATS. {@code othersKnown}: whether
   * {@code nodes} is the cluster as NATS lists it (always true for a single node, which has no others);
   * false while this node cannot ask NATS, and {@code nodes} then holds this node alone, as it knows itself.
   */
  record View(boolean clustered, String node, boolean natsConnected, boolean othersKnown, List<Member> nodes) {
    public View {
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * One live node: what it runs ({@code version}, and the {@code protocol} it speaks to the others),
   * where, since when, how long ago it last renewed its registration, the centers ("tenant/center") it
   * owns now, and the lease of each.
   */
  record Member(String name, String version, int protocol, String host, int port, Instant startedAt,
      Duration heartbeatAge, List<String> centers, List<Lease> leases) {
    public Member {
      centers = List.copyOf(centers);
      leases = List.copyOf(leases);
    }
  }

  /** A center's lease: its fence (the token its writes are checked against), since when it is held, and its last renewal's age. */
  record Lease(String center, long fence, Instant since, Duration renewedAgo) {}
}
