package io.sangdam.cluster;

/** The fencing tokens of center ownership, kept in the database so that they only grow, whatever NATS remembers. */
public interface CenterFences {
  /**
   * Bumps the center's fence for {@code nodeName}, which has just won the center's lease, and
   * returns the new value: its token. Waits for the writes in flight under the old token to commit;
   * every write under an older token fails from then on.
   */
  long take(long centerId, String nodeName);
}
