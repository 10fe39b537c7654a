package io.sangdam.cluster;

/**
 * The version of what nodes tell each other over NATS: their entries in the registry, their leases
 * and their events. Every such message carries it, so that during a rolling upgrade a node can tell
 * a message of another version from a malformed one, and drop (and count) what it cannot read.
 * Raise it with any change a node of the previous version would misread; adding a field that old
 * nodes may ignore is no such change.
 */
public final class ClusterProtocol {
  public static final int VERSION = 1;

  private ClusterProtocol() {}
}
