package io.sangdam.store;

import io.sangdam.crypto.FieldCipher;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which keys have sealed personal fields in this database (V047's {@code field_key}), so a start with a key file
 * that cannot open them is refused before anything is read or sealed wrongly.
 */
public final class JdbcFieldKeys {
  /** What each key's probe seals, and the index key's probe indexes. */
  static final String PROBE = "sangdam field key probe";
  private static final String INDEX_PURPOSE = "probe";

  private final Sql sql;
  private final Clock clock;

  public JdbcFieldKeys(Database db, Clock clock) {
    this.sql = new Sql(db);
    this.clock = clock;
  }

  /** The ids of the keys that have sealed values here (as far as {@code bin/sangdam rotate-keys} has not retired them). */
  public List<String> used() {
    return sql.list("SELECT key_id FROM field_key ORDER BY key_id", rs -> rs.getString(1));
  }

  /**
   * Refuses, with a message saying what is wrong, a {@code cipher} whose keys cannot open what this database holds
   * (a key missing, another key under a known id, another index key); then records its active key as used.
   */
  public void check(FieldCipher cipher) {
    refuseIfUnfit(cipher);
    sql.update("INSERT IGNORE INTO field_key (key_id, probe, index_probe, created_at) VALUES (?, ?, ?, ?)",
        cipher.activeKey(), cipher.seal(PROBE), cipher.indexText(INDEX_PURPOSE, PROBE), clock.instant());
    // Again: another node may have recorded another key of the same id a moment before.
    refuseIfUnfit(cipher);
  }

  private void refuseIfUnfit(FieldCipher cipher) {
    String indexProbe = cipher.indexText(INDEX_PURPOSE, PROBE);
    List<String> missing = new ArrayList<>();
    List<String> different = new ArrayList<>();
    boolean otherIndex = false;
    for (String[] row : sql.list("SELECT key_id, probe, index_probe FROM field_key ORDER BY key_id",
        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})) {
      if (!cipher.keyIds().contains(row[0])) {
        missing.add(row[0]);
        continue;
      }
      if (!opens(cipher, row[1])) {
        different.add(row[0]);
      }
      otherIndex |= !row[2].equals(indexProbe);
    }
    List<String> problems = new ArrayList<>();
    if (!missing.isEmpty()) {
      problems.add("it lacks the key(s) " + missing + " that fields in the database are sealed with");
    }
    if (!different.isEmpty()) {
      problems.add("its key(s) " + different + " are not the ones the database's fields were sealed with");
    }
    if (otherIndex) {
      problems.add("its index key is not the one the database's look-up indexes were made with");
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("; ", problems));
    }
  }

  private static boolean opens(FieldCipher cipher, String probe) {
    try {
      return Objects.equals(PROBE, cipher.openOrThrow(probe));
    } catch (FieldCipher.Unreadable e) {
      return false;
    }
  }

  /** Forgets {@code keyId}: nothing is sealed with it any more, so the key file may drop it. */
  void retire(String keyId) {
    sql.update("DELETE FROM field_key WHERE key_id = ?", keyId);
  }
}
