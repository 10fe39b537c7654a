/**
 * FAQ answers for the bot at the front door: one tenant's questions and answers, and a matcher that
 * finds the question a customer's free text asks, answering when sure, offering the best three when
 * not, and falling back when nothing is close.
 *
 * <p>Matching is by character n-grams, not by a morphological analyser: syllable pairs and single
 * syllables of the text with spaces removed, letter (jamo) triples with sound-alike vowels and
 * final consonants merged, and words with their particles cut off, weighed by rarity (tf-idf) and
 * compared by cosine. Customers' chat is what the matcher must survive: spaces left out or put
 * elsewhere, typos inside a syllable (결재, 됬, 있/잇), colloquial endings; a dictionary analyser
 * such as Lucene's Nori (lucene-analysis-nori, which does resolve from Maven Central) splits
 * well-formed text well but turns a misspelled or run-together word into unknown pieces, and adds
 * about 12 MB of jars and dictionary to the server for what n-grams over a few hundred short
 * questions do in microseconds with the JDK alone. The figures on the repository's FAQ set are
 * printed by FaqPrecisionTest; the timing by {@code scripts/bench faq}.
 */
package io.sangdam.bot.faq;
