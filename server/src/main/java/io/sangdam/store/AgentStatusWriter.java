package io.sangdam.store;

import io.sangdam.routing.AgentStatusLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the routing engines' changes of agents' statuses ({@code agent_status_change}, V029) in
 * batches, as {@link MessageWriter} does messages: the engines only queue them, and one thread of its
 * own drains what queued up and inserts it with one multi-row INSERT. A batch the database refuses is
 * tried again after a pause until it is written or the writer closes; closing writes what is queued.
 */
public final class AgentStatusWriter implements AgentStatusLog, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentStatusWriter.class);
  /** Changes waiting beyond this are dropped (and counted): memory stays bounded while the database is away. */
  private static final int QUEUE_CAPACITY = 100_000;
  private static final int MAX_BATCH = 500;
  private static final long RETRY_MILLIS = 1_000;
  /** How long closing waits for the queue to be written. */
  private static final long CLOSE_MILLIS = 5_000;

  private record Change(long centerId, long agentId, String status, String reason, Instant at) {}

  private final Sql sql;
  private final BlockingQueue<Change> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;

  public AgentStatusWriter(Database db) {
    this.sql = new Sql(db);
    this.thread = new Thread(this::run, "agent-status-writer");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  @Override
  public void changed(long centerId, long agentId, String status, String awayReason, Instant at) {
    if (!queue.offer(new Change(centerId, agentId, status, awayReason, at))) {
      if (dropped.getAndIncrement() % 1_000 == 0) {
        log.warn("agents' status changes are coming faster than the database takes them; {} dropped so far",
            dropped.get());
      }
    }
  }

  private void run() {
    List<Change> batch = new ArrayList<>();
    while (!closing || !queue.isEmpty() || !batch.isEmpty()) {
      try {
        if (batch.isEmpty()) {
          Change first = queue.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
        }
        insert(batch);
        batch.clear();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("{} status changes of agents not written yet ({}); trying again", batch.size(), e.toString());
        if (closing) {
          return;
        }
        try {
          Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  private void insert(List<Change> batch) {
    StringBuilder statement = new StringBuilder(
        "INSERT INTO agent_status_change (center_id, agent_id, status, reason, changed_at) VALUES ");
    Object[] params = new Object[batch.size() * 5];
    for (int i = 0; i < batch.size(); i++) {
      Change c = batch.get(i);
      statement.append(i == 0 ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)");
      params[i * 5] = c.centerId();
      params[i * 5 + 1] = c.agentId();
      params[i * 5 + 2] = c.status();
      params[i * 5 + 3] = c.reason();
      params[i * 5 + 4] = c.at();
    }
    sql.update(statement.toString(), params);
  }

  /** Writes what is queued (for a few seconds at most), then stops. */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(CLOSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
  }
}
