package io.sangdam.attachment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * File contents named by their SHA-256 under one directory ({@code ab/cd/abcd...}), so a file
 * sent many times is stored once and a name can never point outside the directory. A file is
 * written to a temporary name, forced to disk, then moved into place: a reader never sees half a
 * file, and a stored file survives a crash that follows the database commit announcing it.
 */
public final class ContentStore {
  private final Path root;

  public ContentStore(Path root) {
    this.root = root;
  }

  /** Stores {@code content} (unless already there) and returns its SHA-256 in lowercase hex. Blocks. */
  public String put(byte[] content) {
    String sha256 = sha256(content);
    Path target = path(sha256);
    if (Files.exists(target)) {
      return sha256;
    }
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), sha256, ".part");
      try {
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          ByteBuffer buffer = ByteBuffer.wrap(content);
          while (buffer.hasRemaining()) {
            out.write(buffer);
          }
          out.force(true);
        }
        move(temp, target);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store file " + sha256, e);
    }
    return sha256;
  }

  /** The stored bytes, or empty when no file has that hash. Blocks. */
  public Optional<byte[]> get(String sha256) {
    if (!sha256.matches("[0-9a-f]{64}")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readAllBytes(path(sha256)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read file " + sha256, e);
    }
  }

  /**
   * Removes the file with this hash, for the retention job once no attachment refers to it; false when there was
   * none. Blocks.
   */
  public boolean delete(String sha256) {
    if (!sha256.matches("[0-9a-f]{64}")) {
      return false;
    }
    try {
      return Files.deleteIfExists(path(sha256));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove file " + sha256, e);
    }
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      // The same content, stored meanwhile by another upload.
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path path(String sha256) {
    return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
