package io.sangdam.auth;

import static java.util.Objects.requireNonNull;

import io.sangdam.protocol.TryAgainLater;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

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

  /** Whether {@code password} matches {@code stored}; null {@code stored} (no such user) costs as much and fails. */
  public CompletableFuture<Boolean> verify(String password, String stored) {
    return run(() -> stored == null ? hasher.verifyDecoy(password) : hasher.verify(password, stored));
  }

  /**
   * The hash of a password an administrator sets. The calling thread waits: such requests are
   * rare and signed in, while the CPU work stays within the pool's bound.
   */
  public String hash(String password) {
    return run(() -> hasher.hash(password)).join();
  }

  private <T> CompletableFuture<T> run(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, executor);
    } catch (RejectedExecutionException e) {
      throw TryAgainLater.busy();
    }
  }
}
