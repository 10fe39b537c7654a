package io.sangdam.auth;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.TryAgainLater;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * PBKDF2 on a small executor of its own with a bounded queue (built by {@code Server}), so that a
 * flood of logins takes neither the database threads nor chat's, and costs at most that pool's
 * cores. When its queue is full, work is refused at once: 503 {@code unavailable}.
 */
public final class HashingPool {
  private final PasswordHasher hasher;
  private final Executor executor;

  public HashingPool(PasswordHasher hasher, Executor executor) {
    this.hasher = requireNonNull(hasher, "hasher");
    this.executor = requireNonNull(executor, "executor");
  }

  /** Runs {@code work} with the hasher on a pool thread; throws a busy {@link TryAgainLater} at once when the pool is full. */
  public <T> CompletableFuture<T> submit(Function<PasswordHasher, T> work) {
    try {
      return CompletableFuture.supplyAsync(() -> work.apply(hasher), executor);
    } catch (RejectedExecutionException e) {
      throw TryAgainLater.busy();
    }
  }

  /**
   * The hash of a password an administrator sets. The calling thread waits: such requests are
   * rare and signed in, while the CPU work stays within the pool's bound.
   */
  public String hash(String password) {
    return submit(h -> h.hash(password)).join();
  }
}
