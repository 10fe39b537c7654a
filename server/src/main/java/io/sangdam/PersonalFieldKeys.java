package io.sangdam;

import io.sangdam.crypto.FieldCipher;
import io.sangdam.crypto.FieldKeyFile;
import io.sangdam.crypto.FieldKeys;
import io.sangdam.store.Database;
import io.sangdam.store.JdbcFieldKeys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of personal fields at a start: those of {@code crypto.keyFile}, checked against what the database holds
 * sealed before anything is read; or, when there is no key file and the database holds nothing sealed (a first
 * start), new keys, written to the file once the database has taken them.
 */
final class PersonalFieldKeys {
  private static final Logger log = LoggerFactory.getLogger(PersonalFieldKeys.class);

  private final Path file;
  private final FieldKeys keys;
  private final boolean made;
  private final FieldCipher cipher;

  private PersonalFieldKeys(Path file, FieldKeys keys, boolean made) {
    this.file = file;
    this.keys = keys;
    this.made = made;
    this.cipher = new FieldCipher(keys, new SecureRandom());
  }

  /** The configured key file's keys, or new ones (not written yet) when there is none; a broken file is refused. */
  static PersonalFieldKeys read(Path file) {
    Optional<FieldKeys> kept = FieldKeyFile.read(file);
    return kept.map(k -> new PersonalFieldKeys(file, k, false))
        .orElseGet(() -> new PersonalFieldKeys(file, FieldKeys.generate(new SecureRandom()), true));
  }

  FieldCipher cipher() {
    return cipher;
  }

  /**
   * Refuses to go on, saying why and what to do, when the keys cannot open what {@code database} (migrated) holds
   * sealed: no key file though the database holds sealed fields, a key missing, another key under a known id;
   * writes the key file when the keys are new.
   */
  void settle(Database database, Clock clock) {
    JdbcFieldKeys used = new JdbcFieldKeys(database, clock);
    if (made) {
      List<String> sealedWith = used.used();
      if (!sealedWith.isEmpty()) {
        throw new IllegalStateException("crypto.keyFile " + file.toAbsolutePath() + " does not exist, but the "
            + "database holds personal fields sealed with the key(s) " + sealedWith + ": put the key file there (the "
            + "one the first server wrote into its data directory, or your copy of it) and start again");
      }
    }
    try {
      used.check(cipher);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("crypto.keyFile " + file.toAbsolutePath() + " does not open the database's "
          + "personal fields: " + e.getMessage() + ". Start with the key file the database's fields were sealed "
          + "with (keys are added to it, never replaced: see README, Encryption of personal fields)", e);
    }
    if (made) {
      FieldKeyFile.write(file, keys);
      log.warn("wrote new keys for personal fields to {}: keep a copy apart from the database's backups, and give "
          + "every node of this database the same file", file.toAbsolutePath());
    }
  }
}
