package io.sangdam.bot.faq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long FAQ matching takes: indexing a tenant's 1,000 entries, and matching one customer's text
 * against 50 entries (the repository's set) and against 1,000.
 *
 * <p>The 1,000 entries are the set's 50, each in 20 variants (the question with a product or
 * channel named, "... (체크카드)", "... (모바일 앱)"), so the vocabulary is real Korean and a common
 * feature has 20 times the postings it has in the set: the match against them is the slow case.
 * The texts matched are the set's 150 paraphrases in turn. Run from the repository's root
 * (scripts/bench faq), which is where the set is read from.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FaqBenchmark {
  private static final Path SET = Path.of("server/src/test/resources/faq");
  private static final List<String> VARIANTS = List.of(
      "", "(체크카드)", "(신용카드)", "(법인카드)", "(가족카드)", "(모바일 앱)", "(홈페이지)", "(해외)",
      "(주말)", "(영업점)", "(개인 회원)", "(기업 회원)", "(외국인)", "(미성년자)", "(선불카드)",
      "(제휴카드)", "(온라인몰)", "(오프라인 매장)", "(정기 배송)", "(해외 직구)");

  private List<FaqEntry> thousand;
  private FaqMatcher fifty;
  private FaqMatcher matcherOfThousand;
  private String[] texts;
  private int next;

  @Setup
  public void setUp() {
    List<FaqEntry> entries = new ArrayList<>();
    for (String line : lines("faq.txt")) {
      String[] fields = line.split("\\s*\\|\\s*", -1);
      entries.add(new FaqEntry(fields[0], fields[1],
          Arrays.stream(fields[2].split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList(), fields[3]));
    }
    thousand = new ArrayList<>();
    for (String variant : VARIANTS) {
      for (FaqEntry entry : entries) {
        thousand.add(new FaqEntry(entry.id() + variant, (entry.question() + " " + variant).strip(),
            entry.alternatives().stream().map(a -> (a + " " + variant).strip()).toList(), entry.answer()));
      }
    }
    fifty = FaqMatcher.of(entries);
    matcherOfThousand = FaqMatcher.of(thousand);
    texts = lines("paraphrases.txt").stream().map(line -> line.split("\\s*\\|\\s*", 2)[1]).toArray(String[]::new);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public FaqMatcher index1000() {
    return FaqMatcher.of(thousand);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public FaqVerdict match50() {
    return fifty.match(texts[next++ % texts.length]);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public FaqVerdict match1000() {
    return matcherOfThousand.match(texts[next++ % texts.length]);
  }

  private static List<String> lines(String name) {
    try {
      return Files.readAllLines(SET.resolve(name)).stream()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("run from the repository's root: " + SET.resolve(name), e);
    }
  }
}
