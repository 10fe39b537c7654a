package io.sangdam.presence;

import io.sangdam.protocol.ServerMessage;

/** Where a session writes: implemented by transport over a WebSocket, and by tests in memory. Thread-safe. */
public interface Outbound {
  void send(ServerMessage message);

  /** Closes the connection with a WebSocket status code (1008 policy, 1009 too big, 1001 going away). */
  void close(int code, String reason);

  /** The client's address, for the audit log. */
  String remoteAddress();
}
