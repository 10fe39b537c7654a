package io.sangdam.store;

import io.sangdam.channel.sms.SmsOptOuts;
import io.sangdam.crypto.FieldCipher;
import java.time.Clock;

/**
 * SMS channels' opted-out numbers in MariaDB, kept as their blind index only: they are compared, never shown.
 * A number stored before encryption is found as it is too, until the start after the upgrade has replaced it.
 */
public final class JdbcSmsOptOuts implements SmsOptOuts {
  private final Sql sql;
  private final Clock clock;
  private final FieldCipher fields;

  public JdbcSmsOptOuts(Database db, Clock clock) {
    this.sql = new Sql(db);
    this.clock = clock;
    this.fields = db.fields();
  }

  static String index(FieldCipher fields, String number) {
    return fields.indexText("sms-number", number);
  }

  @Override
  public void optOut(long channelId, String number) {
    sql.update("INSERT IGNORE INTO sms_opt_out (channel_id, number, opted_out_at) VALUES (?, ?, ?)", channelId,
        index(fields, number), clock.instant());
  }

  @Override
  public void optIn(long channelId, String number) {
    sql.update("DELETE FROM sms_opt_out WHERE channel_id = ? AND number IN (?, ?)", channelId, index(fields, number),
        number);
  }

  @Override
  public boolean optedOut(long channelId, String number) {
    return sql.one("SELECT 1 FROM sms_opt_out WHERE channel_id = ? AND number IN (?, ?) LIMIT 1", rs -> true,
        channelId, index(fields, number), number).isPresent();
  }
}
