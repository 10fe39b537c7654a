package io.sangdam.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What one class logs while a test provokes a failure on purpose, kept here instead of the run's
 * output (a passing run printed these errors with their stack traces), for the test to check that
 * the failure was logged. Use in try-with-resources; closing gives the class its output back.
 */
public final class CapturedLog implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  private CapturedLog(Class<?> source) {
    this.logger = (Logger) LoggerFactory.getLogger(source);
    events.start();
    logger.addAppender(events);
    logger.setAdditive(false);
  }

  public static CapturedLog of(Class<?> source) {
    return new CapturedLog(source);
  }

  /** The messages logged at {@code level} so far, formatted. */
  public List<String> at(Level level) {
    synchronized (events) { // the appender appends under its own lock
      return events.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  @Override
  public void close() {
    logger.setAdditive(true);
    logger.detachAppender(events);
  }
}
