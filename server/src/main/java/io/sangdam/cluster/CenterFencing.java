package io.sangdam.cluster;

import java.util.OptionalLong;

/**
 * The fencing token this node holds for a center, given to each write of the center's decisions
 * and messages, which checks it against the database in its own transaction ({@code store}).
 */
@FunctionalInterface
public interface CenterFencing {
  /** This node's token for the center; empty when it does not own the center (or no longer knows that it does). */
  OptionalLong token(long centerId);
}
