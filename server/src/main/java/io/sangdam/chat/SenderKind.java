package io.sangdam.chat;

import java.util.Locale;

/** Who wrote a message; the wire name is the lower-case name ({@code "from":"customer"}). */
public enum SenderKind {
  CUSTOMER,
  AGENT,
  SYSTEM,
  /** A bot of the tenant's, before the conversation reached a queue; its name is stored with each message. */
  BOT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
