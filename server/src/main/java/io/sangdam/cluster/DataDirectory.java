package io.sangdam.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's hold on its data directory, and the node id kept in it. The lock is held for the
 * life of the process; the kernel releases it when the process ends however it ends, so having it
 * proves that no other live server uses this directory. The id is written once, on the first start,
 * and read back on every start after: it is the node's identity in the database's lease, the same
 * across crash restarts on this directory and different for any other directory, even one another
 * machine reaches through the same path.
 */
public final class DataDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
  /** The node id's file in the data directory; delete it in a copied directory (a cloned VM) to give the copy its own id. */
  public static final String NODE_ID_FILE = "node-id";
  private static final Pattern NODE_ID = Pattern.compile("[0-9a-f]{32}");

  private final FileChannel lock;
  private final String nodeId;

  private DataDirectory(FileChannel lock, String nodeId) {
    this.lock = lock;
    this.nodeId = nodeId;
  }

  /** Locks {@code dir} (creating it), then reads its node id, writing a new random one on the first start. */
  public static DataDirectory lock(Path dir) {
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(dir.resolve("sangdam.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock held;
      try {
        held = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        held = null;
      }
      if (held == null) {
        throw new NodeLease.Refused("the data directory " + dir + " is in use by another running Sangdam; stop it "
            + "first, or give this one its own data.dir");
      }
      DataDirectory locked = new DataDirectory(channel, nodeId(dir));
      channel = null;
      return locked;
    } catch (IOException e) {
      throw new IllegalStateException("cannot lock the data directory " + dir + ": " + e.getMessage(), e);
    } finally {
      closeQuietly(channel);
    }
  }

  /** Read under the lock, so two starts on one directory cannot both write one. */
  private static String nodeId(Path dir) throws IOException {
    Path file = dir.resolve(NODE_ID_FILE);
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (!NODE_ID.matcher(id).matches()) {
        throw new IllegalStateException(file + " does not hold a node id (32 hexadecimal digits); delete it to give "
            + "this node a new one");
      }
      return id;
    }
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String id = HexFormat.of().formatHex(random);
    // Written aside and moved into place, so a crash never leaves a half-written id behind.
    Path written = dir.resolve(NODE_ID_FILE + ".new");
    Files.writeString(written, id + "\n", StandardCharsets.US_ASCII);
    Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
    return id;
  }

  /** This node's id: 32 hexadecimal digits, kept in the data directory. */
  public String nodeId() {
    return nodeId;
  }

  @Override
  public void close() {
    closeQuietly(lock);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("cannot release the data directory's lock: {}", e.getMessage());
    }
  }
}
