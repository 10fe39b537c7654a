package io.sangdam.search;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sangdam.crypto.FieldCipher;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.UnaryOperator;

/**
 * The character pairs of unmasked text as the index keeps them: an HMAC-SHA256 under the blind-index key of the
 * field encryption (crypto.keyFile), cut to 128 bits, so a copy of the index without the key reveals no pair. The
 * same pair always gives the same hash, which is what lets a query find it; it also tells someone holding the index
 * which messages share a pair, as the blind index does for whole values. Pairs repeat (a language has some thousands
 * in use), so their hashes are cached. A different index key gives other hashes: the index is then rebuilt
 * ({@link #keyProbe}); rotating the sealing keys (bin/sangdam rotate-keys) keeps the index key, and the index.
 */
public final class KeyedGrams implements UnaryOperator<String> {
  private static final String PURPOSE = "search-gram";

  private final FieldCipher fields;
  private final Cache<String, String> hashed = Caffeine.newBuilder().maximumSize(200_000).build();

  public KeyedGrams(FieldCipher fields) {
    this.fields = requireNonNull(fields, "fields");
  }

  @Override
  public String apply(String gram) {
    return hashed.get(gram, g -> Base64.getUrlEncoder().withoutPadding()
        .encodeToString(Arrays.copyOf(fields.index(PURPOSE, g), 16)));
  }

  /** Names the key without revealing it: an index made under another key is rebuilt. */
  public String keyProbe() {
    return fields.indexText(PURPOSE + "-probe", "sangdam");
  }
}
