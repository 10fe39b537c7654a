package io.sangdam.cluster;

import static io.sangdam.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.sangdam.testing.NatsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owners' table on a real nats-server tells of each new owner of a center as it learns of it, once per
 * owner and fence: not at the lease's creation (no fence yet), nor at its renewals.
 */
class CenterOwnerTableIT {
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  void eachNewOwnerOrFenceIsToldOnceAndRenewalsAreNot() throws Exception {
    try (NatsServer nats = NatsServer.start(dir); Connection connection = Nats.connect(nats.url())) {
      connection.keyValueManagement().create(KeyValueConfiguration.builder().name(CenterLeases.BUCKET)
          .maxHistoryPerKey(1).ttl(LEASE).storageType(StorageType.File).build());
      KeyValue kv = connection.keyValue(CenterLeases.BUCKET);
      // Already there when the table starts: told as soon as it has read it.
      kv.put("7", lease("node-a", 1));
      List<Long> told = new CopyOnWriteArrayList<>();
      CenterOwnerTable table = new CenterOwnerTable(connection, LEASE, System::nanoTime);
      table.onNewOwner(told::add);
      table.start();
      try {
        eventually("center 7's owner told", () -> told.equals(List.of(7L)));
        kv.put("7", lease("node-a", 1)); // a renewal
        long created = kv.create("8", lease("node-b", 0)); // won, its fence not yet taken
        kv.update("8", lease("node-b", 1), created);
        eventually("center 8's owner told once it has its fence", () -> told.equals(List.of(7L, 8L)));
        kv.put("7", lease("node-a", 2)); // the same node again under a new fence (after losing it to an outage)
        kv.put("8", lease("node-a", 2)); // another node
        eventually("both new owners told", () -> told.size() >= 4);
        kv.put("8", lease("node-a", 2)); // a renewal: nothing to tell; read back through the table's own order
        kv.put("9", lease("node-c", 1));
        eventually("center 9's owner told", () -> told.contains(9L));
        assertEquals(List.of(7L, 8L, 7L, 8L, 9L), told, "renewals are not new owners");
        assertEquals("node-a", table.ownerOf(8).orElseThrow());
      } finally {
        table.close();
      }
    }
  }

  private static byte[] lease(String node, long fence) {
    return ("{\"node\":\"" + node + "\",\"fence\":" + fence + ",\"since\":\"2026-01-05T00:00:00Z\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
