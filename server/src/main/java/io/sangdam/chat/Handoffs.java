package io.sangdam.chat;

/**
 * Where a conversation goes when it moves to a center this node does not hold (a transfer to another
 * center's queue, an overflow into one): its move is committed here, then the center's owner takes it
 * up ({@link CenterOwnership#adoptConversation}). A node alone holds every center.
 */
public interface Handoffs {
  /** A node alone on its database: every center is held here, nothing is ever handed over. */
  Handoffs ALONE = new Handoffs() {
    @Override
    public boolean heldHere(long centerId) {
      return true;
    }

    @Override
    public void handOver(Handoff handoff) {
      throw new IllegalStateException("a node alone holds center " + handoff.centerId());
    }
  };

  /** Whether this node's chat holds the center now (routes it, writes its conversations). */
  boolean heldHere(long centerId);

  /**
   * Tells the center's owner to take the conversation up, once this node's events of it are on their
   * way to the others; returns at once. The move is committed already: should no owner answer, the
   * center's next owner loads the conversation from the database with the rest of the center.
   */
  void handOver(Handoff handoff);

  /**
   * A conversation that now waits in {@code centerId}, given up by this node: the {@code note} left for
   * its next agent and the system message's {@code notice} the customer is told before routing (each may be null).
   */
  record Handoff(long conversationId, long centerId, String note, Notice notice) {}
}
