package io.sangdam.bot.faq;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One tenant's FAQ, indexed for matching a customer's free text against its questions. Immutable,
 * so any number of threads may match at once; a change of the FAQ builds a new matcher (1,000
 * entries index in under 0.1 s, scripts/bench faq) and swaps it in.
 *
 * <p>Each question and each alternative phrasing is a bag of features (see {@link KoreanText}):
 * its words without particles, the syllable pairs and single syllables of its text with the
 * spaces taken out, and the letter (jamo) triples of that text. A feature weighs its channel's
 * weight times its rarity among the entries (idf), and a text's closeness to a phrasing is the
 * cosine of the two bags; an entry's score is that of its closest phrasing. Features of the
 * customer's text that no entry has count against it (they are in its length), so a question about
 * something else that shares a word or two ("해외 송금" and "해외 결제") stays low.
 */
public final class FaqMatcher {
  /**
   * At or above, with {@link #CONFIDENT_MARGIN} over the runner-up, the best entry is answered
   * alone. Chosen on the repository's FAQ set by trying 0.30 to 0.50 and margins 0 to 0.15: a wrong
   * answer given with confidence costs more than three buttons, so the pair that answered wrongly
   * least (2 of 150 paraphrases, 2 of 60 questions outside the FAQ) while still answering about
   * 3 in 4 paraphrases alone. Most paraphrases score 0.35 to 0.8 against their question, most
   * questions outside the FAQ under 0.3. The test's figures are therefore of thresholds fitted to
   * that set; the ranking (top-1, top-3) does not depend on them.
   */
  static final double CONFIDENT_SCORE = 0.35;
  /**
   * How far the best must be above the second best entry to be answered alone: two entries close
   * together (the card's password, the log-in's) are a question for the customer, not a guess.
   */
  static final double CONFIDENT_MARGIN = 0.15;
  /**
   * Below, nothing is offered: the scenario's fallback. At or above, the best three are buttons.
   * Half the questions outside the FAQ stay under it, 3 of 150 paraphrases fall under it.
   */
  static final double UNSURE_SCORE = 0.20;

  // How much each kind of feature counts. Words and syllable pairs carry the meaning; single
  // syllables and letter triples are there for typos and words run together, and would make
  // everything look a little alike if they weighed as much.
  private static final double WORD_WEIGHT = 1.0;
  private static final double BIGRAM_WEIGHT = 1.0;
  private static final double UNIGRAM_WEIGHT = 0.3;
  private static final double JAMO_WEIGHT = 0.5;

  private final List<FaqEntry> entries;
  /** Phrasing (a question or an alternative) -> the index of its entry. */
  private final int[] entryOf;
  private final double[] phrasingNorm;
  private final Map<String, Integer> featureIds;
  private final double[] featureWeight;
  private final int[][] postings;
  /** The weight of a feature no entry has: as rare as can be. */
  private final double unseenIdf;

  private FaqMatcher(List<FaqEntry> entries) {
    this.entries = entries;
    List<Set<String>> phrasings = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    Map<String, Integer> documentFrequency = new HashMap<>();
    for (int e = 0; e < entries.size(); e++) {
      FaqEntry entry = entries.get(e);
      Set<String> ofEntry = new HashSet<>();
      for (String text : phrasingsOf(entry)) {
        Set<String> features = features(text);
        if (features.isEmpty()) {
          continue;
        }
        phrasings.add(features);
        owners.add(e);
        ofEntry.addAll(features);
      }
      for (String feature : ofEntry) {
        documentFrequency.merge(feature, 1, Integer::sum);
      }
    }
    int n = entries.size();
    this.unseenIdf = Math.log(1.0 + n);
    this.featureIds = new HashMap<>(documentFrequency.size() * 2);
    this.featureWeight = new double[documentFrequency.size()];
    for (Map.Entry<String, Integer> df : documentFrequency.entrySet()) {
      int id = featureIds.size();
      featureIds.put(df.getKey(), id);
      featureWeight[id] = channelWeight(df.getKey()) * Math.log(1.0 + (double) n / df.getValue());
    }
    this.entryOf = owners.stream().mapToInt(Integer::intValue).toArray();
    this.phrasingNorm = new double[phrasings.size()];
    int[] postingCount = new int[featureWeight.length];
    for (int p = 0; p < phrasings.size(); p++) {
      double norm = 0;
      for (String feature : phrasings.get(p)) {
        int id = featureIds.get(feature);
        norm += featureWeight[id] * featureWeight[id];
        postingCount[id]++;
      }
      phrasingNorm[p] = Math.sqrt(norm);
    }
    this.postings = new int[featureWeight.length][];
    for (int id = 0; id < postings.length; id++) {
      postings[id] = new int[postingCount[id]];
    }
    int[] filled = new int[featureWeight.length];
    for (int p = 0; p < phrasings.size(); p++) {
      for (String feature : phrasings.get(p)) {
        int id = featureIds.get(feature);
        postings[id][filled[id]++] = p;
      }
    }
  }

  /** Indexes one tenant's entries; ids must be unique. */
  public static FaqMatcher of(List<FaqEntry> entries) {
    requireNonNull(entries, "entries");
    List<FaqEntry> copy = List.copyOf(entries);
    Set<String> ids = new HashSet<>();
    for (FaqEntry entry : copy) {
      if (!ids.add(entry.id())) {
        throw new IllegalArgumentException("entry id " + entry.id() + " appears twice");
      }
    }
    return new FaqMatcher(copy);
  }

  public List<FaqEntry> entries() {
    return entries;
  }

  /** What to do with a customer's text: answer, offer up to three, or fall back. Never throws. */
  public FaqVerdict match(String text) {
    List<FaqVerdict.Candidate> best = ranked(text, 3);
    if (best.isEmpty() || best.get(0).score() < UNSURE_SCORE) {
      return new FaqVerdict.Nothing();
    }
    double second = best.size() > 1 ? best.get(1).score() : 0;
    if (best.get(0).score() >= CONFIDENT_SCORE && best.get(0).score() - second >= CONFIDENT_MARGIN) {
      return new FaqVerdict.Confident(best.get(0));
    }
    // Buttons worth pressing only: a third entry at 0.05 is noise, not a suggestion.
    List<FaqVerdict.Candidate> offered = best.stream().filter(c -> c.score() >= UNSURE_SCORE / 2).toList();
    return new FaqVerdict.Unsure(offered);
  }

  /** The closest entries, best first, at most {@code limit}, none that shares nothing. */
  List<FaqVerdict.Candidate> ranked(String text, int limit) {
    Set<String> features = features(text);
    if (features.isEmpty() || entries.isEmpty() || limit <= 0) {
      return List.of();
    }
    double[] dot = new double[entryOf.length];
    double queryNorm = 0;
    for (String feature : features) {
      Integer id = featureIds.get(feature);
      double weight;
      if (id == null) {
        weight = channelWeight(feature) * unseenIdf;
      } else {
        weight = featureWeight[id];
        double product = weight * weight;
        for (int phrasing : postings[id]) {
          dot[phrasing] += product;
        }
      }
      queryNorm += weight * weight;
    }
    queryNorm = Math.sqrt(queryNorm);
    double[] score = new double[entries.size()];
    for (int p = 0; p < dot.length; p++) {
      if (dot[p] > 0) {
        double cosine = dot[p] / (queryNorm * phrasingNorm[p]);
        score[entryOf[p]] = Math.max(score[entryOf[p]], cosine);
      }
    }
    return top(score, limit);
  }

  /** The best {@code limit} entries by one pass (a FAQ has many entries, a verdict needs three). */
  private List<FaqVerdict.Candidate> top(double[] score, int limit) {
    int[] best = new int[limit];
    int count = 0;
    for (int e = 0; e < score.length; e++) {
      if (score[e] <= 0 || (count == limit && score[e] <= score[best[count - 1]])) {
        continue; // on a tie the earlier entry stays ahead, so the same text always gets the same answer
      }
      int at = count < limit ? count++ : limit - 1;
      while (at > 0 && score[best[at - 1]] < score[e]) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = e;
    }
    List<FaqVerdict.Candidate> top = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      top.add(new FaqVerdict.Candidate(entries.get(best[i]), Math.min(1.0, score[best[i]])));
    }
    return top;
  }

  private static List<String> phrasingsOf(FaqEntry entry) {
    List<String> texts = new ArrayList<>(1 + entry.alternatives().size());
    texts.add(entry.question());
    texts.addAll(entry.alternatives());
    return texts;
  }

  /** The features of a text, each channel's marked by its first character. */
  static Set<String> features(String text) {
    String normalized = KoreanText.normalize(text);
    List<String> words = KoreanText.words(normalized);
    Set<String> features = new LinkedHashSet<>();
    for (String word : words) {
      features.add("w" + word);
    }
    String stream = KoreanText.stream(words);
    for (int i = 0; i < stream.length(); i++) {
      features.add("u" + stream.charAt(i));
      if (i + 1 < stream.length()) {
        features.add("b" + stream.substring(i, i + 2));
      }
    }
    String jamo = KoreanText.jamo(stream);
    for (int i = 0; i + 3 <= jamo.length(); i++) {
      features.add("j" + jamo.substring(i, i + 3));
    }
    return features;
  }

  private static double channelWeight(String feature) {
    return switch (feature.charAt(0)) {
      case 'w' -> WORD_WEIGHT;
      case 'b' -> BIGRAM_WEIGHT;
      case 'u' -> UNIGRAM_WEIGHT;
      default -> JAMO_WEIGHT;
    };
  }
}
