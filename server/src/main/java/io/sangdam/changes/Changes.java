package io.sangdam.changes;

/**
 * Where a node announces a management change it made, after making it and updating its own caches:
 * {@link LocalChanges} on a single node, the cluster's bus on many. Never blocks for long: callers
 * are request threads.
 */
public interface Changes {
  void changed(Change change);
}
