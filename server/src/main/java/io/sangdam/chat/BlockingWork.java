package io.sangdam.chat;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Chat's database work on the bounded executor. When its queue is full, or the database is known
 * to be down, the answer is a failed future ({@code unavailable}), never an exception thrown at the
 * caller: callers are event loops, engines and timers that must get on with their own work.
 */
final class BlockingWork {
  private final Executor blocking;

  BlockingWork(Executor blocking) {
    this.blocking = blocking;
  }

  <T> CompletableFuture<T> async(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, blocking);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new SangdamException(ErrorCode.UNAVAILABLE,
          "the server cannot take this now; try again"));
    }
  }

  Executor executor() {
    return blocking;
  }
}
