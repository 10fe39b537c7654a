package io.sangdam.presence;

/** One connected client as transport sees it: text frames in, and the end of the connection. */
public interface Session {
  void onText(String text);

  /** A binary frame: refused, and counted against the flood limit like any other frame. */
  void onBinary();

  void onClose();

  /** Whether the client has been let in: its {@code hello} answered with {@code welcome}. */
  boolean greeted();
}
