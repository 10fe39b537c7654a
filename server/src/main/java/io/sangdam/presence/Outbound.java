package io.sangdam.presence;

import io.sangdam.protocol.ServerMessage;
import java.util.concurrent.CompletionStage;

/**
 * Where a session writes: implemented by transport over a WebSocket, and by tests in memory.
 * Thread-safe. Output the client has not taken yet is bounded: past the session's budget the
 * connection is closed as too slow, so a session may send freely, but long output (a replay)
 * waits for {@link #hasRoom room} instead of piling up.
 */
public interface Outbound {
  void send(ServerMessage message);

  /** Closes the connection with a WebSocket status code (1008 policy, 1009 too big, 1001 going away). */
  void close(int code, String reason);

  /**
   * Closes as {@link #close} once {@code answered} completes, so answers to what the client sent
   * before go out first; after a few seconds at the latest, whether or not it has.
   */
  void closeWhenAnswered(CompletionStage<?> answered, int code, String reason);

  /** Whether little enough output waits that more may be written without piling up. */
  boolean hasRoom();

  /** Runs {@code next} once there is {@link #hasRoom room} (at once if there is now); never if the connection ends first. */
  void whenRoom(Runnable next);

  /** The client's address, for the audit log. */
  String remoteAddress();
}
