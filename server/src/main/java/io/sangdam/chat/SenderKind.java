package io.sangdam.chat;

import java.util.Locale;

/** Who wrote a message; the wire name is the lower-case name ({@code "from":"customer"}). */
public enum SenderKind {
  CUSTOMER,
  AGENT,
  SYSTEM;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
