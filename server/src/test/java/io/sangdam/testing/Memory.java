package io.sangdam.testing;

import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/** What the server holds, as it runs in the test's JVM: for tests that bound memory, never time. */
public final class Memory {
  private Memory() {}

  /** Heap and direct memory in use after full collections. */
  public static long usedAfterGc() {
    System.gc();
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    // Netty's own count of the direct memory it allocates without the JDK's pool (-1 when it does not).
    return heap + direct + Math.max(0, PlatformDependent.usedDirectMemory());
  }
}
