package io.sangdam.search;

import io.sangdam.bench.Trees;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What the search index costs a busy server, apart from the database: {@code messages} messages of 10,000 live
 * conversations (50 tenants, 10 centers each) given to {@link MessageIndex} as {@link MessageIndexer} gives them under
 * load (10,000 held, sorted in the index's order, added and refreshed; a commit every 40,000, as 10 s at 4,000
 * messages/s), then searched. Prints the process's CPU per message (Lucene's merge threads included, waited for at
 * the close), the segments and bytes left, and the searches' p50/p99.
 *
 * <p>In the search package for the indexer's order ({@link MessageIndex#ORDER}); run by {@code scripts/bench indexing
 * [messages] [dir]} (default 2,000,000 into {@code target/indexing-bench}, about half a minute; 4,000,000 makes the
 * second half's figure steadier).
 */
public final class IndexingBench {
  private static final int HELD = 10_000;
  private static final int COMMIT_EVERY = 40_000;
  private static final int LIVE_CONVERSATIONS = 10_000;
  private static final int TENANTS = 50;
  private static final String[] TEXTS = {"안녕하세요, 카드를 분실해서 정지하고 싶어요",
      "네 고객님, 본인 확인을 위해 성함과 생년월일을 말씀해 주세요", "결제 취소하고 환불 받고 싶습니다",
      "확인했습니다. 잠시만 기다려 주세요", "대출 금리가 어떻게 되나요?", "한도 조회는 앱에서도 가능합니다",
      "감사합니다. 좋은 하루 되세요", "배송 조회 부탁드립니다", "연락처는 010-1234-5678 입니다"};
  private static final String[] SEARCHES = {"환불", "분실", "해지", "분실신고", "nothing-like-this"};

  private IndexingBench() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    Path dir = Path.of(args.length > 1 ? args[1] : "target/indexing-bench");
    Trees.delete(dir);
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    SplittableRandom random = new SplittableRandom(20);
    long[] live = new long[LIVE_CONVERSATIONS];
    for (int i = 0; i < live.length; i++) {
      live[i] = i + 1;
    }
    long nextConversation = live.length + 1;
    long cpuBefore = processCpuNanos();
    long wallBefore = System.nanoTime();
    // The personal items' keyed hash is the server's HMAC; a cheap stand-in here, as it is not the index's cost.
    MessageIndex index = new MessageIndex(dir, IndexingBench::keyed, "probe", "bench");
    List<MessageFeed.Message> held = new ArrayList<>(HELD);
    long cpuAtHalf = 0;
    for (long id = 1; id <= messages; id++) {
      if (id == messages / 2) {
        cpuAtHalf = processCpuNanos(); // the second half is counted apart: the JIT has compiled the first
      }
      int slot = random.nextInt(live.length);
      if (random.nextInt(15) == 0) {
        live[slot] = nextConversation++; // about 15 messages a conversation, then another takes its place
      }
      long conversation = live[slot];
      long tenant = conversation % TENANTS + 1;
      held.add(new MessageFeed.Message(id, conversation, tenant, tenant * 10 + conversation % 10,
          start.plusSeconds(conversation * 3), TEXTS[random.nextInt(TEXTS.length)]));
      if (held.size() == HELD) {
        held.sort(MessageIndex.ORDER);
        index.add(held, false);
        held.clear();
        if (id % COMMIT_EVERY == 0) {
          index.commit(new MessageIndex.Position(id, id, 0));
        }
        index.refresh();
      }
    }
    index.add(held, false);
    index.commit(new MessageIndex.Position(messages, messages, 0));
    index.close();
    long cpuAfter = processCpuNanos();
    double cpuMicros = (cpuAfter - cpuBefore) / 1e3 / messages;
    double secondHalfMicros = (cpuAfter - cpuAtHalf) / 1e3 / (messages - messages / 2);
    double seconds = (System.nanoTime() - wallBefore) / 1e9;
    long bytes;
    long segments;
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.toList();
      bytes = all.stream().mapToLong(IndexingBench::size).sum();
      segments = all.stream().filter(p -> p.getFileName().toString().endsWith(".si")).count();
    }
    System.out.printf("indexed %,d messages in %.1f s: %.1f us of CPU a message (merges included; the second half "
        + "%.1f us), %d segments, %,d MB%n", messages, seconds, cpuMicros, secondHalfMicros, segments, bytes >> 20);

    MessageIndex reopened = new MessageIndex(dir, IndexingBench::keyed, "probe", "bench");
    for (String text : SEARCHES) {
      long[] nanos = new long[200];
      for (int i = 0; i < nanos.length; i++) {
        long t0 = System.nanoTime();
        reopened.find(i % TENANTS + 1, null, text, false, null, null, null, 50);
        nanos[i] = System.nanoTime() - t0;
      }
      Arrays.sort(nanos);
      System.out.printf("search '%s', a tenant, 50 results: p50 %.2f ms, p99 %.2f ms%n", text,
          nanos[nanos.length / 2] / 1e6, nanos[nanos.length * 99 / 100] / 1e6);
    }
    reopened.close();
  }

  private static String keyed(String item) {
    return "k" + item.hashCode();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

}
