package io.sangdam.api;

import java.util.List;

/**
 * One group of REST endpoints (a resource and what is done to it), built by {@code Server} with
 * its own collaborators. {@link Api} takes the groups in order; their routes, in that order, are
 * its route table.
 */
public interface Endpoints {
  /** This group's routes, in the order they are matched. */
  List<Route> routes();
}
