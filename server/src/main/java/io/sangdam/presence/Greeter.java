package io.sangdam.presence;

import io.sangdam.protocol.Fields;
import java.util.concurrent.CompletableFuture;

/** How one kind of socket lets its client in ({@code hello}) and what it leaves when the connection ends. */
interface Greeter<S extends ClientSession> {
  /** Answers {@code hello}; completes exceptionally when the client is not let in. */
  CompletableFuture<?> hello(S session, Fields frame);

  /** The connection ended: leave what {@link #hello} joined (nothing, if it never got that far). */
  void ended(S session);
}
