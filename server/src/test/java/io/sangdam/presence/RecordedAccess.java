package io.sangdam.presence;

import io.sangdam.accesslog.AccessLog;
import io.sangdam.accesslog.AccessRecord;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The access records as a list the test reads; the sockets only append to them. */
class RecordedAccess implements AccessLog {
  final List<AccessRecord> records = new CopyOnWriteArrayList<>();

  @Override
  public void record(AccessRecord record) {
    records.add(record);
  }

  @Override
  public List<Recorded> search(Query query, int limit) {
    throw new UnsupportedOperationException("the sockets do not search the access records");
  }

  @Override
  public List<Recorded> period(Long tenantId, Instant from, Instant to, int limit) {
    throw new UnsupportedOperationException("the sockets do not read the access records");
  }

  @Override
  public Verdict verify() {
    throw new UnsupportedOperationException("the sockets do not verify the access records");
  }

  @Override
  public int prune(Instant before) {
    throw new UnsupportedOperationException("the sockets do not prune the access records");
  }
}
