package io.sangdam.accesslog;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key of the access records' chain and the macs made with it. The key lives in a file outside the database
 * ({@code accessLog.keyFile}), so whoever can write the tables cannot recompute a mac. Each record's mac is
 * HMAC-SHA256 over the previous record's mac and every field of its own, each field length-prefixed so no two
 * different records read the same.
 */
public final class AccessChain {
  private static final Logger log = LoggerFactory.getLogger(AccessChain.class);
  /** The mac before the first record. */
  public static final String GENESIS = "0".repeat(64);
  private static final int KEY_BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final SecretKeySpec key;

  AccessChain(byte[] key) {
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /**
   * The key in {@code file}, written there first (32 random bytes, base64, readable by the server's account only)
   * when {@code create} and there is none: the first start makes it, as it makes its node id.
   */
  public static AccessChain fromKeyFile(Path file, boolean create) {
    requireNonNull(file, "file");
    try {
      if (!Files.exists(file)) {
        if (!create) {
          throw new IllegalStateException("the access records' key file " + file + " does not exist (accessLog.keyFile)");
        }
        write(file);
      }
      warnIfOthersMayRead(file);
      byte[] key;
      try {
        key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
      } catch (IllegalArgumentException e) {
        key = new byte[0];
      }
      if (key.length != KEY_BYTES) {
        throw new IllegalStateException(file + " does not hold an access records' key (32 bytes in base64); restore "
            + "it from the backup: without it the records cannot be verified");
      }
      return new AccessChain(key);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the access records' key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path file) throws IOException {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    try {
      // Created with the owner's permissions from the start: never readable by others, even for a moment.
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      // Another node starting on the same shared file made it first: its key is the chain's.
      return;
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
    log.warn("generated the access records' key in {}: back it up apart from the database (without it the records "
        + "cannot be verified), and give every node of a cluster the same file", file);
  }

  private static void warnIfOthersMayRead(Path file) {
    try {
      Set<PosixFilePermission> wider = Files.getPosixFilePermissions(file).stream()
          .filter(p -> !OWNER_ONLY.contains(p) && p != PosixFilePermission.OWNER_EXECUTE).collect(Collectors.toSet());
      if (!wider.isEmpty()) {
        log.warn("the access records' key file {} may be read or written by others ({}): chmod 600 it", file, wider);
      }
    } catch (UnsupportedOperationException | IOException e) {
      log.debug("cannot read the permissions of {}: {}", file, e.getMessage());
    }
  }

  /** A fingerprint of the key (not the key): the chain keeps it, so a node given another key is refused. */
  public String keyId() {
    return hmac(new Fields().text("sangdam access-log key id")).substring(0, 16);
  }

  /**
   * The mac of record {@code id}, made at {@code at} (milliseconds), after the record whose mac is {@code previous};
   * {@code subjects} as stored (see {@link #subjects}), which verification reads as text, changed or not.
   */
  public String mac(String previous, long id, Instant at, AccessRecord r, String subjects) {
    return hmac(new Fields().text(previous).number(id).number(at.toEpochMilli()).number(r.actorId())
        .text(r.actorName()).number(r.tenantId()).number(r.centerId()).text(r.address()).text(r.action())
        .text(r.object()).text(subjects).text(r.reason()));
  }

  /** The mac that vouches for where the chain starts after older records were removed for age. */
  public String anchor(long prunedId, String prunedMac) {
    return hmac(new Fields().text("pruned").number(prunedId).text(prunedMac));
  }

  /** Whether two macs are equal, in time that does not depend on where they differ. */
  public static boolean same(String a, String b) {
    return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII),
        b.getBytes(StandardCharsets.US_ASCII));
  }

  /** The subjects as stored: customer ids, comma-separated, in the order read. */
  public static String subjects(AccessRecord r) {
    return r.subjects().stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private String hmac(Fields fields) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(fields.bytes.toByteArray()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** Fields one after another, each with its length first; null is length -1. */
  private static final class Fields {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Fields text(String s) {
      if (s == null) {
        length(-1);
        return this;
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      length(b.length);
      bytes.writeBytes(b);
      return this;
    }

    Fields number(Long n) {
      return text(n == null ? null : Long.toString(n));
    }

    private void length(int n) {
      bytes.writeBytes(ByteBuffer.allocate(4).putInt(n).array());
    }
  }
}
