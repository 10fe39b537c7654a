package io.sangdam.bot.faq;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The repository's Korean FAQ set (src/test/resources/faq): the entries the matcher indexes, the
 * customers' paraphrases of their questions, and questions the FAQ does not answer.
 */
record FaqSet(List<FaqEntry> entries, List<Paraphrase> paraphrases, List<String> outOfSet) {

  /** What a customer typed, and the entry that answers it. */
  record Paraphrase(String entryId, String text) {}

  static FaqSet load() {
    List<FaqEntry> entries = new ArrayList<>();
    for (String line : lines("faq.txt")) {
      String[] fields = line.split("\\s*\\|\\s*", -1);
      if (fields.length != 4) {
        throw new IllegalStateException("faq.txt: 4 fields wanted: " + line);
      }
      List<String> alternatives = fields[2].isBlank()
          ? List.of()
          : Arrays.stream(fields[2].split(";")).map(String::strip).toList();
      entries.add(new FaqEntry(fields[0], fields[1], alternatives, fields[3]));
    }
    List<Paraphrase> paraphrases = new ArrayList<>();
    for (String line : lines("paraphrases.txt")) {
      String[] fields = line.split("\\s*\\|\\s*", 2);
      if (fields.length != 2 || entries.stream().noneMatch(e -> e.id().equals(fields[0]))) {
        throw new IllegalStateException("paraphrases.txt: an entry id and a text wanted: " + line);
      }
      paraphrases.add(new Paraphrase(fields[0], fields[1]));
    }
    return new FaqSet(List.copyOf(entries), List.copyOf(paraphrases), lines("out-of-set.txt"));
  }

  private static List<String> lines(String name) {
    try (InputStream in = FaqSet.class.getResourceAsStream("/faq/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no faq/" + name + " on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read faq/" + name, e);
    }
  }
}
