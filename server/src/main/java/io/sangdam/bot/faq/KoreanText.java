package io.sangdam.bot.faq;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns what a customer types into the features the matcher compares: the same steps for the
 * FAQ's questions and for the customer's text, so whatever a step loses it loses on both sides.
 *
 * <ol>
 *   <li>{@link #normalize}: chat noise out (ㅋㅋ, ㅠㅠ, emoji, punctuation), Unicode NFKC (full-width
 *       letters, compatibility forms), lower case, a few colloquial spellings made standard (비번,
 *       핸드폰, 어플, 공인인증서, 결재), runs of one character cut to two.
 *   <li>{@link #words}: the words with their particle or ending cut off (카드를 -> 카드, 바꾸고싶어요 ->
 *       바꾸), and words that say how one asks rather than what (어떻게, 좀, 혹시) left out.
 *   <li>{@link #stream}: the words joined without spaces, so that "카드 분실" and "카드분실" give the
 *       same syllable n-grams: customers leave spaces out, or put them elsewhere.
 *   <li>{@link #jamo}: the stream as letters (jamo), with the vowels and final consonants that sound
 *       alike merged (ㅔ/ㅐ, ㅚ/ㅙ/ㅞ, the seven final sounds), so a near-miss syllable (결재, 됬, 잇어요)
 *       still shares most of its letter n-grams with the right one.
 * </ol>
 */
final class KoreanText {
  /**
   * Characters of a customer's text that are looked at. A FAQ question is a sentence or two; past
   * this the text is not one, and the cap keeps one match's cost bounded whatever is pasted in.
   */
  static final int MAX_CHARS = 500;

  private static final char SYLLABLE_FIRST = '\uAC00';
  private static final char SYLLABLE_LAST = '\uD7A3';

  /** Colloquial or outdated spellings, replaced wherever they occur (the keys occur in no other word). */
  private static final List<Map.Entry<String, String>> SPELLINGS = longestKeyFirst(Map.ofEntries(
      Map.entry("비번", "비밀번호"),
      Map.entry("핸드폰", "휴대폰"),
      Map.entry("핸폰", "휴대폰"),
      Map.entry("휴대전화", "휴대폰"),
      Map.entry("어플", "앱"),
      Map.entry("어플리케이션", "앱"),
      Map.entry("애플리케이션", "앱"),
      Map.entry("오티피", "otp"),
      Map.entry("공인인증서", "공동인증서"),
      Map.entry("결재", "결제"),
      Map.entry("됬", "됐"),
      Map.entry("바꼈", "바뀌었")));

  /**
   * Words customers use for the same request, made one: raise a limit, change a setting, lose or
   * forget something, a bank book or an account, a parcel or a delivery. A variant carries the
   * connective ending it usually has (올리고싶어요), so that what is left after it is an ending the
   * stemmer knows.
   */
  private static final List<Map.Entry<String, String>> SYNONYMS = longestKeyFirst(concepts(Map.of(
      "상향", List.of("올리고", "올려", "올리", "올릴", "늘리고", "늘려", "늘리", "늘릴", "증액", "높여", "높이고"),
      "변경", List.of("바꾸고", "바꿔", "바꾸", "바꿀", "바뀌었", "바뀌어", "바뀌", "옮기고", "옮겨", "옮기", "수정"),
      "분실", List.of("잃어버렸", "잃어버린", "잃어버리", "잃어버", "잃었", "잃어"),
      "잊어버", List.of("까먹었", "까먹", "잊었"),
      "계좌", List.of("통장"),
      "배송", List.of("택배"))));

  /**
   * Particles (조사) and endings (어미) cut from the end of a word, the longest that fits first, repeatedly while
   * at least two syllables remain ("신청하고싶어요" -> "신청하고" -> "신청"). Some single-syllable
   * particles that also end many nouns (도: 한도, 이: 아이디, 가: 할인가, 지: 배송지, 의) are left on:
   * cutting them would part "한도" from "이체한도". Cutting the same way on both sides matters more
   * than cutting right: a word cut too short is cut too short in the question as well.
   */
  private static final List<String> ENDINGS = List.of(
      // particles
      "은", "는", "을", "를", "에", "에서", "에게", "께", "한테", "로", "으로", "와", "과", "랑", "이랑",
      "하고", "까지", "부터", "처럼", "보다", "만", "좀", "요", "이요", "이나", "나", "에는", "에도", "으로는",
      // endings of asking, wanting, being able
      "어요", "아요", "여요", "해요", "에요", "예요", "이에요", "이예요", "세요", "주세요", "해주세요", "줘요",
      "해줘", "줘", "나요", "하나요", "되나요", "인가요", "은가요", "는가요", "한가요", "가요", "까요", "할까요",
      "죠", "지요", "구요", "고요", "려구요", "려고요", "려고", "려구", "려는데요", "려는데", "려면", "으려면",
      "는데요", "는데", "은데요", "은데", "인데요", "인데", "데요", "습니다", "습니까", "니다", "니까",
      "싶어요", "싶어", "싶은데요", "싶은데", "싶습니다", "싶", "고싶", "할래요", "래요", "게요", "할게요",
      "있나요", "있어요", "있을까요", "수있나요", "수있어요", "할수있나요", "할수있어요", "없나요", "없어요",
      "돼요", "되요", "되나", "됩니까", "됩니다", "됐어요", "됐는데", "했어요", "했는데", "했는데요", "해야돼요",
      "해야", "하려면", "하려고", "하려구", "하는법", "하는", "하면", "한거", "한게", "거", "건가요", "건지",
      "는지", "은지", "여", "어", "아", "해",
      // 하다 and 되다 after a noun: 신고하려구요 -> 신고하 -> 신고
      "하", "되");

  /** Words that say how one asks, not what: they would make every question look alike. */
  private static final Set<String> ASKING = Set.of(
      "어떻게", "어떡해", "어떡하죠", "어떡하", "어케", "어떻게해", "어떻게하", "어디서", "어디", "알려주세요",
      "알려줘", "알고싶어", "알고싶", "궁금합니다", "궁금해요", "궁금", "문의", "질문", "혹시", "그냥", "제가",
      "저는", "저", "제", "좀", "이거", "그거", "지금", "이제", "안녕하세요", "수", "있", "가능", "가능한",
      "가능해", "해주", "주", "하", "되", "돼", "방법", "뭐", "뭔가", "뭐에", "무엇", "언제", "얼마나", "얼마");

  /** What {@link #stem} cuts: the endings, and the asking words of two syllables or more. */
  private static final Set<String> SUFFIXES =
      Set.copyOf(Stream.concat(ENDINGS.stream(), ASKING.stream().filter(w -> w.length() >= 2)).distinct().toList());

  private static final int LONGEST_SUFFIX = SUFFIXES.stream().mapToInt(String::length).max().orElse(0);

  private KoreanText() {}

  /**
   * The text made comparable: chat noise and punctuation out, NFKC, lower case, standard
   * spellings, single spaces between what is left. Never null; empty when nothing is left.
   */
  static String normalize(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String cut = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
    // Jamo typed alone (ㅋㅋ, ㅠㅠ, ㅎㅎ, ㅇㅇ) are chat noise: drop them before NFKC, which would join
    // a lone consonant and a lone vowel into a syllable (ㅋ + ㅠ -> 큐). Conjoining jamo stay for NFKC
    // to compose: they are how decomposed (NFD) text spells its syllables.
    StringBuilder noJamo = new StringBuilder(cut.length());
    cut.codePoints().forEach(cp -> noJamo.appendCodePoint(isTypedJamo(cp) ? ' ' : cp));
    String nfkc = Normalizer.normalize(noJamo, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(nfkc.length());
    int last = ' ';
    int run = 0;
    for (int i = 0; i < nfkc.length(); ) {
      int cp = nfkc.codePointAt(i);
      i += Character.charCount(cp);
      if (!Character.isLetterOrDigit(cp) || isJamo(cp)) {
        cp = ' ';
      }
      if (cp == ' ' && last == ' ') {
        continue;
      }
      run = cp == last ? run + 1 : 1;
      if (run > 2 && !Character.isDigit(cp)) {
        continue; // 요요요요, aaaa: two say as much (10000 and 0000 do not)
      }
      out.appendCodePoint(cp);
      last = cp;
    }
    String spaced = out.toString().strip();
    for (Map.Entry<String, String> spelling : SPELLINGS) {
      if (spaced.contains(spelling.getKey())) {
        spaced = spaced.replace(spelling.getKey(), spelling.getValue());
      }
    }
    for (Map.Entry<String, String> synonym : SYNONYMS) {
      if (spaced.contains(synonym.getKey())) {
        spaced = spaced.replace(synonym.getKey(), synonym.getValue());
      }
    }
    return spaced;
  }

  /** The words of normalised text, particles and endings cut off, asking words left out. */
  static List<String> words(String normalized) {
    List<String> words = new ArrayList<>();
    if (normalized.isEmpty()) {
      return words;
    }
    for (String token : normalized.split(" ")) {
      if (allEndings(token)) {
        continue; // "할수있나요", "하려구요" written apart: endings only, no stem
      }
      String stem = stem(token);
      if (!ASKING.contains(stem)) {
        words.add(stem);
      }
    }
    return words;
  }

  /** The words joined without spaces: what the syllable and letter n-grams are taken from. */
  static String stream(List<String> words) {
    return String.join("", words);
  }

  /**
   * The stream spelled in letters (jamo), sound-alike vowels and final consonants merged. Anything
   * that is not a Hangul syllable (Latin, digits) is kept as it is.
   */
  static String jamo(String stream) {
    StringBuilder out = new StringBuilder(stream.length() * 3);
    for (int i = 0; i < stream.length(); i++) {
      char c = stream.charAt(i);
      if (c < SYLLABLE_FIRST || c > SYLLABLE_LAST) {
        out.append(c);
        continue;
      }
      int index = c - SYLLABLE_FIRST;
      int initial = index / 588;
      int vowel = (index % 588) / 28;
      int coda = index % 28;
      out.append((char) ('\u1100' + initial));
      out.append((char) ('\u1161' + VOWEL_SOUND[vowel]));
      if (coda != 0) {
        out.append((char) ('\u11A7' + CODA_SOUND[coda]));
      }
    }
    return out.toString();
  }

  /**
   * Vowel index -> the vowel it is merged with: ㅔ->ㅐ, ㅖ->ㅒ, ㅚ and ㅞ->ㅙ (the pairs modern Seoul
   * speech no longer tells apart, and customers' most frequent misspellings: 결재, 되요, 됬).
   */
  private static final int[] VOWEL_SOUND = {
      0, 1, 2, 3, 1, 1, 6, 3, 8, 9, 10, 10, 12, 13, 14, 10, 16, 17, 18, 19, 20};

  /**
   * Final consonant index (0 = none) -> the one of the seven final sounds it is spoken as:
   * ㄱ ㄴ ㄷ ㄹ ㅁ ㅂ ㅇ (있/잇, 없/업, 닭/닥 are typed both ways).
   */
  private static final int[] CODA_SOUND = {
      // none ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ
      0, 1, 1, 1, 4, 4, 4, 7, 8, 1, 16, 8, 8, 8, 17, 8, 16, 17, 17, 7, 7, 21, 7, 7, 1, 7, 17, 7};

  /**
   * Cuts endings, and asking words written onto the end without a space ("해지하려면어떻게해요" ->
   * "해지"), while at least two syllables remain.
   */
  private static String stem(String token) {
    String stem = token;
    int cut;
    while ((cut = longestSuffix(stem, 2)) > 0) {
      stem = stem.substring(0, stem.length() - cut);
    }
    return stem;
  }

  private static boolean allEndings(String token) {
    String rest = token;
    int cut;
    while (!rest.isEmpty() && (cut = longestSuffix(rest, 0)) > 0) {
      rest = rest.substring(0, rest.length() - cut);
    }
    return rest.isEmpty();
  }

  /** The length of the longest suffix of {@code word} that may be cut leaving {@code keep} characters; 0 if none. */
  private static int longestSuffix(String word, int keep) {
    for (int length = Math.min(LONGEST_SUFFIX, word.length() - keep); length > 0; length--) {
      if (SUFFIXES.contains(word.substring(word.length() - length))) {
        return length;
      }
    }
    return 0;
  }

  /** Jamo as a keyboard types them alone: compatibility (ㅋ ㅠ) and half-width forms. */
  private static boolean isTypedJamo(int cp) {
    return (cp >= 0x3130 && cp <= 0x318F) || (cp >= 0xFFA0 && cp <= 0xFFDC);
  }

  /** Any jamo: after NFKC, one that is still alone is not part of a syllable. */
  private static boolean isJamo(int cp) {
    return isTypedJamo(cp)
        || (cp >= 0x1100 && cp <= 0x11FF) // conjoining jamo
        || (cp >= 0xA960 && cp <= 0xA97F)
        || (cp >= 0xD7B0 && cp <= 0xD7FF);
  }

  private static Map<String, String> concepts(Map<String, List<String>> variants) {
    Map<String, String> canonical = new HashMap<>();
    variants.forEach((word, those) -> those.forEach(variant -> canonical.put(variant, word)));
    return canonical;
  }

  private static List<Map.Entry<String, String>> longestKeyFirst(Map<String, String> spellings) {
    List<Map.Entry<String, String>> sorted = new ArrayList<>(spellings.entrySet());
    sorted.sort((a, b) -> Integer.compare(b.getKey().length(), a.getKey().length()));
    return List.copyOf(sorted);
  }
}
