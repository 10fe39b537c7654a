package io.sangdam.presence;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.util.Map;

/** One kind of socket's dispatch table: its {@code hello}, and the handler of each frame type after it. */
final class Frames<S extends ClientSession> {
  private final Greeter<S> greeter;
  private final Map<String, FrameHandler<? super S>> handlers;

  Frames(Greeter<S> greeter, Map<String, FrameHandler<? super S>> handlers) {
    this.greeter = requireNonNull(greeter, "greeter");
    this.handlers = Map.copyOf(handlers);
  }

  Greeter<S> greeter() {
    return greeter;
  }

  /** The handler of {@code type}; {@code unknown_type} when the socket has none. */
  FrameHandler<? super S> handler(String type) {
    FrameHandler<? super S> handler = handlers.get(type);
    if (handler == null) {
      throw new SangdamException(ErrorCode.UNKNOWN_TYPE, "unknown message type '" + type + "'");
    }
    return handler;
  }
}
