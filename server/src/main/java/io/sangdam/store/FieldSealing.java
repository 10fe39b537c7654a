package io.sangdam.store;

import io.sangdam.crypto.FieldCipher;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals the personal fields stored before encryption, and seals again those of older keys on a rotation: every
 * table that holds some, walked by primary key in small batches, one short transaction each that locks only its
 * batch's rows, so chat goes on meanwhile and a value written meanwhile (sealed already) is never overwritten with
 * an older one. Nodes may run it at once: they repeat work, nothing else.
 */
public final class FieldSealing {
  private static final Logger log = LoggerFactory.getLogger(FieldSealing.class);

  /** A sealed column, and the blind index kept beside it (null: none). */
  private record Column(String name, String index, Function<String, byte[]> indexOf) {}

  private record Table(String name, String id, List<Column> columns) {}

  private final Sql sql;
  private final FieldCipher fields;
  private final int batch;
  private final List<Table> tables;

  /** {@code batch}: rows per transaction. */
  public FieldSealing(Database db, int batch) {
    this.sql = new Sql(db);
    this.fields = db.fields();
    this.batch = batch;
    this.tables = List.of(
        new Table("customer", "id", List.of(new Column("contact", "contact_index", fields::contactIndex),
            plain("memo"), new Column("channel_user", "channel_user_index", fields::channelUserIndex))),
        new Table("conversation", "id", List.of(plain("channel_user"), plain("bot_state"), plain("bot_fields"))),
        new Table("conversation_pre_chat", "conversation_id", List.of(plain("name"), plain("contact"))),
        new Table("callback_request", "id", List.of(plain("phone"), plain("customer_note"))),
        new Table("offline_inquiry", "id", List.of(plain("contact"), plain("body"))),
        new Table("company_sign_in", "tenant_key", List.of(plain("ldap_bind_password"), plain("oidc_client_secret"))));
  }

  private static Column plain(String name) {
    return new Column(name, null, null);
  }

  /** What a run did: values sealed, and values it could not open (an unknown key, or changed), left as they are. */
  public record Outcome(long sealed, long unreadable) {
    Outcome plus(Outcome o) {
      return new Outcome(sealed + o.sealed, unreadable + o.unreadable);
    }
  }

  /** Seals every value stored before encryption (the start after the upgrade runs it). */
  public Outcome sealPlain() {
    Outcome done = run(v -> !FieldCipher.sealed(v));
    done = done.plus(new Outcome(hashOptedOutNumbers(), 0));
    if (done.sealed() > 0 || done.unreadable() > 0) {
      log.info("sealed {} personal field(s) stored before encryption ({} could not be read)", done.sealed(),
          done.unreadable());
    }
    return done;
  }

  /**
   * Seals again, with the active key, every value sealed with another key (and any left plain); then retires the
   * keys nothing is sealed with any more, which the key file may drop from then on. Keys still in use (a value
   * that could not be opened) stay.
   */
  public Outcome reseal(JdbcFieldKeys keys) {
    Outcome done = sealPlain().plus(run(v -> !fields.current(v)));
    if (done.unreadable() == 0) {
      keys.used().stream().filter(id -> !id.equals(fields.activeKey())).forEach(keys::retire);
    }
    return done;
  }

  private Outcome run(Predicate<String> due) {
    Outcome done = new Outcome(0, 0);
    for (Table table : tables) {
      long after = Long.MIN_VALUE;
      // A stop interrupts: the rest waits for the next start.
      while (!Thread.currentThread().isInterrupted()) {
        long from = after;
        Batch b = sql.transaction(c -> batch(c, table, from, due));
        done = done.plus(b.outcome);
        if (b.last == null) {
          break;
        }
        after = b.last;
      }
    }
    return done;
  }

  /** One batch: {@code last} is the id of its last row, null when the table has no more. */
  private record Batch(Long last, Outcome outcome) {}

  private Batch batch(Connection c, Table t, long after, Predicate<String> due) throws SQLException {
    String names = t.columns.stream().map(Column::name).collect(Collectors.joining(", "));
    String anyValue = t.columns.stream().map(col -> col.name + " IS NOT NULL").collect(Collectors.joining(" OR "));
    List<Object[]> rows = Sql.list(c, "SELECT " + t.id + ", " + names + " FROM " + t.name + " WHERE " + t.id
        + " > ? AND (" + anyValue + ") ORDER BY " + t.id + " LIMIT ? FOR UPDATE", rs -> {
          Object[] row = new Object[t.columns.size() + 1];
          row[0] = rs.getLong(1);
          for (int i = 0; i < t.columns.size(); i++) {
            row[i + 1] = rs.getString(i + 2);
          }
          return row;
        }, after, batch);
    long sealed = 0;
    long unreadable = 0;
    for (Object[] row : rows) {
      List<String> sets = new ArrayList<>();
      List<Object> params = new ArrayList<>();
      for (int i = 0; i < t.columns.size(); i++) {
        Column col = t.columns.get(i);
        String stored = (String) row[i + 1];
        if (stored == null || !due.test(stored)) {
          continue;
        }
        String plain;
        try {
          plain = fields.openOrThrow(stored);
        } catch (FieldCipher.Unreadable e) {
          unreadable++;
          continue;
        }
        sets.add(col.name + " = ?");
        params.add(fields.seal(plain));
        if (col.index != null) {
          sets.add(col.index + " = ?");
          params.add(col.indexOf.apply(plain));
        }
        sealed++;
      }
      if (!sets.isEmpty()) {
        params.add(row[0]);
        Sql.update(c, "UPDATE " + t.name + " SET " + String.join(", ", sets) + " WHERE " + t.id + " = ?",
            params.toArray());
      }
    }
    return new Batch(rows.size() < batch ? null : (Long) rows.get(rows.size() - 1)[0], new Outcome(sealed, unreadable));
  }

  /**
   * The numbers that opted out of an SMS channel are only ever compared, never shown: they are kept as their
   * blind index alone ({@link JdbcSmsOptOuts}); those stored before are replaced by it.
   */
  private long hashOptedOutNumbers() {
    long done = 0;
    while (true) {
      List<Object[]> rows = sql.list("SELECT channel_id, number FROM sms_opt_out WHERE number NOT LIKE 'idx:%' LIMIT ?",
          rs -> new Object[] {rs.getLong(1), rs.getString(2)}, batch);
      for (Object[] row : rows) {
        sql.transaction(c -> {
          Sql.update(c, "INSERT IGNORE INTO sms_opt_out (channel_id, number, opted_out_at) SELECT channel_id, ?, "
              + "opted_out_at FROM sms_opt_out WHERE channel_id = ? AND number = ?",
              JdbcSmsOptOuts.index(fields, (String) row[1]), row[0], row[1]);
          return Sql.update(c, "DELETE FROM sms_opt_out WHERE channel_id = ? AND number = ?", row[0], row[1]);
        });
      }
      done += rows.size();
      if (rows.size() < batch) {
        return done;
      }
    }
  }
}
