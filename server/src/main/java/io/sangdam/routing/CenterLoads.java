package io.sangdam.routing;

import java.util.concurrent.CompletableFuture;

/** A center's live state, wherever its routing engine runs: this node's {@link Routing}, or the node owning it. */
@FunctionalInterface
public interface CenterLoads {
  CompletableFuture<CenterLoad> load(long centerId);
}
