/**
 * FAQ answers for the bot at the front door: one tenant's questions and answers, and a matcher that
 * finds the question a customer's free text asks, answering when sure, offering the best three when
 * not, and falling back when nothing is close.
 *
 * <p>Matching is by character n-grams, not by a morphological analyser: syllable pairs and single
 * syllables of the text with spaces removed, letter (jamo) triples with sound-alike vowels and
 * final consonants merged, and words with their particles cut off, weighed by rarity (tf-idf) and
 * compared by cosine. Customers' chat is what it must survive: spaces left out or put elsewhere,
 * typos inside a syllable (결재, 됬, 있/잇), colloquial endings. Lucene's Nori
 * (lucene-analysis-nori 9.12.3, which resolves from Maven Central) was tried in place of our words
 * on the repository's FAQ set: with the same n-grams it ranked the right question first as often
 * (88.7 % against 89.3 %) but among the first three less often (95.3 % against 98.0 %) and turned
 * away fewer questions outside the FAQ (90.0 % against 96.7 %); its words alone ranked 82.7 % first.
 * A dictionary cuts well-formed text well but a misspelled or run-together word into unknown
 * pieces, and it would add about 12 MB of jars and dictionary for no gain: the JDK alone does it,
 * in tens of microseconds a match. FaqPrecisionTest prints the figures; {@code scripts/bench faq}
 * times it.
 */
package io.sangdam.bot.faq;
