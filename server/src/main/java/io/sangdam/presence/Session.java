package io.sangdam.presence;

/** One connected client as transport sees it: every frame counted, text frames in, and the end of the connection. */
public interface Session {
  /**
   * Counts one frame of any kind (text, binary, ping, pong, a fragment, even an empty one) against
   * the flood limit, before anything handles it. False when it must be dropped: the session is over
   * its limit, and closes with 1008 once what it admitted before is answered.
   */
  boolean admit();

  void onText(String text);

  /** A binary frame: refused with an error (it was counted by {@link #admit} like any other frame). */
  void onBinary();

  void onClose();

  /** Whether the client has been let in: its {@code hello} answered with {@code welcome}. */
  boolean greeted();
}
