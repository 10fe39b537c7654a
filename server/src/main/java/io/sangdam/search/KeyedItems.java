package io.sangdam.search;

import static java.util.Objects.requireNonNull;

import io.sangdam.crypto.FieldCipher;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.UnaryOperator;

/**
 * A whole personal item of a message (a phone, card or resident number, an e-mail address), normalised, as the index
 * keeps it: an HMAC-SHA256 under the blind-index key of the field encryption (crypto.keyFile), cut to 128 bits, so a
 * copy of the index without the key reveals no item, and no part of one (the index holds no piece of it, and no
 * position that would line it up with the masked text). The same item always gives the same hash, which is what
 * lets a query find it; it also tells someone holding the index which messages share an item, as the blind index
 * does for customers' contacts. A different index key gives other hashes: the index is then rebuilt
 * ({@link #keyProbe}); rotating the sealing keys (bin/sangdam rotate-keys) keeps the index key, and the index.
 */
public final class KeyedItems implements UnaryOperator<String> {
  private static final String PURPOSE = "search-item";

  private final FieldCipher fields;

  public KeyedItems(FieldCipher fields) {
    this.fields = requireNonNull(fields, "fields");
  }

  @Override
  public String apply(String item) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(fields.index(PURPOSE, item), 16));
  }

  /** Names the key without revealing it: an index made under another key is rebuilt. */
  public String keyProbe() {
    return fields.indexText(PURPOSE + "-probe", "sangdam");
  }
}
