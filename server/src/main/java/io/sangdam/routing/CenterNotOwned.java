package io.sangdam.routing;

import java.util.concurrent.RejectedExecutionException;

/**
 * Work for a center this node gave up ({@link Routing#drop}): refused, as an executor refuses a
 * task it cannot take, so a client is told to try again (the center is moving to another node).
 */
public final class CenterNotOwned extends RejectedExecutionException {
  private final long centerId;

  public CenterNotOwned(long centerId) {
    super("center " + centerId + " is not routed on this node");
    this.centerId = centerId;
  }

  public long centerId() {
    return centerId;
  }
}
