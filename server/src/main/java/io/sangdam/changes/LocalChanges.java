package io.sangdam.changes;

/**
 * A single node's changes: the change's own invalidation, done where it was made, is all there is;
 * no other node has a cache to tell.
 */
public final class LocalChanges implements Changes {
  @Override
  public void changed(Change change) {
    // One node: nobody else to tell.
  }
}
