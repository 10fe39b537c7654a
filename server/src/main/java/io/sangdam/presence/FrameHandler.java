package io.sangdam.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.sangdam.protocol.Fields;

/**
 * Handles one type of frame (or a few that are one thing) once the session's {@code hello} is
 * answered. Handlers are shared by every session of their socket and hold no session state: what
 * they need of the connection they ask of {@code session}, what they need of the server they got by
 * constructor.
 */
@FunctionalInterface
interface FrameHandler<S extends ClientSession> {
  /**
   * Answers {@code frame} (carrying {@code rid}, null when it has none) on {@code session}, now or
   * later through {@link ClientSession#reply}; throws {@link io.sangdam.protocol.SangdamException}
   * for bad input, which the session answers as an error with the rid.
   */
  void handle(S session, Fields frame, JsonNode rid);
}
