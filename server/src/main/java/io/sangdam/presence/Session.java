package io.sangdam.presence;

/** One connected client as transport sees it: text frames in, and the end of the connection. */
public interface Session {
  void onText(String text);

  void onClose();
}
