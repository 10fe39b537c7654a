package io.sangdam.cluster;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;

/**
 * The JetStream stream that carries conversation events between nodes: one subject per
 * conversation ({@code sangdam.events.<id>}), so each conversation's events keep their order; kept
 * on file, for a few minutes only. It is the path of live pushes, not a record: a node that missed
 * events (it was away longer than {@link #MAX_AGE}, or NATS lost them) does not get them from here;
 * its clients' {@code resume} replays what they missed from the database.
 *
 * <p>Created by the first node that finds it missing, with one replica. On a NATS cluster an
 * operator may raise its replicas ({@code nats stream edit SANGDAM_EVENTS --replicas 3}); a node
 * never changes an existing stream's configuration.
 */
final class EventStream {
  static final String NAME = "SANGDAM_EVENTS";
  static final String SUBJECTS = "sangdam.events.>";
  /**
   * How long the stream keeps an event: longer than a NATS reconnect takes, so an ordered consumer
   * that resumes after one finds what it missed, and bounded, so the stream stays small.
   */
  static final Duration MAX_AGE = Duration.ofMinutes(5);
  /**
   * JetStream stores a message once per Nats-Msg-Id within this window: a publish retried after a
   * lost acknowledgement, or the same message published by two owners of its center, is stored once.
   */
  static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);
  /** JetStream's error code for "stream not found". */
  private static final int STREAM_NOT_FOUND = 10059;
  /** JetStream's error code for "stream name already in use": another node created it at the same time. */
  private static final int STREAM_NAME_IN_USE = 10058;

  private EventStream() {}

  static String subject(long conversationId) {
    return "sangdam.events." + conversationId;
  }

  /** The stream as it is, created first if it is missing. */
  static StreamInfo ensure(JetStreamManagement jsm) throws IOException, JetStreamApiException {
    try {
      return jsm.getStreamInfo(NAME);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
    }
    try {
      return jsm.addStream(StreamConfiguration.builder().name(NAME).subjects(SUBJECTS)
          .storageType(StorageType.File).retentionPolicy(RetentionPolicy.Limits)
          .maxAge(MAX_AGE).duplicateWindow(DUPLICATE_WINDOW).build());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NAME_IN_USE) {
        throw e;
      }
      return jsm.getStreamInfo(NAME);
    }
  }
}
