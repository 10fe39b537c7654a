package io.sangdam.store;

import io.sangdam.channel.sms.SmsOptOuts;
import java.time.Clock;

/** SMS channels' opted-out numbers in MariaDB. */
public final class JdbcSmsOptOuts implements SmsOptOuts {
  private final Sql sql;
  private final Clock clock;

  public JdbcSmsOptOuts(Database db, Clock clock) {
    this.sql = new Sql(db);
    this.clock = clock;
  }

  @Override
  public void optOut(long channelId, String number) {
    sql.update("INSERT IGNORE INTO sms_opt_out (channel_id, number, opted_out_at) VALUES (?, ?, ?)", channelId,
        number, clock.instant());
  }

  @Override
  public void optIn(long channelId, String number) {
    sql.update("DELETE FROM sms_opt_out WHERE channel_id = ? AND number = ?", channelId, number);
  }

  @Override
  public boolean optedOut(long channelId, String number) {
    return sql.one("SELECT 1 FROM sms_opt_out WHERE channel_id = ? AND number = ?", rs -> true, channelId, number)
        .isPresent();
  }
}
