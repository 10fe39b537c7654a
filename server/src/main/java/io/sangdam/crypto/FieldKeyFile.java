package io.sangdam.crypto;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/** The key file of personal fields ({@code crypto.keyFile}): read at start, written only by its owner (0600). */
public final class FieldKeyFile {
  private FieldKeyFile() {}

  /** The keys in {@code file}, or empty when there is no such file; a file that is there but wrong is refused. */
  public static Optional<FieldKeys> read(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the key file " + file + ": " + e.getMessage(), e);
    }
    try {
      return Optional.of(FieldKeys.parse(p));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the key file " + file + " is not usable: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code keys} to {@code file}, readable by this account only: written aside and moved into place,
   * so a crash never leaves a half-written key file, and the file is never readable by others, not even briefly.
   */
  public static void write(Path file, FieldKeys keys) {
    Path absolute = file.toAbsolutePath();
    Path written = absolute.resolveSibling(absolute.getFileName() + ".new");
    try {
      Files.createDirectories(absolute.getParent());
      Files.deleteIfExists(written);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(written, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(written);
      }
      try (Writer out = Files.newBufferedWriter(written, StandardCharsets.ISO_8859_1)) {
        keys.toProperties().store(out, "Sangdam: keys of personal fields. Keep a copy apart from database backups;"
            + " without it the sealed fields cannot be read.");
      }
      Files.move(written, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the key file " + file + ": " + e.getMessage(), e);
    }
  }
}
