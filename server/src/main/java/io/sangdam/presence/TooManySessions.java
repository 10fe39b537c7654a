package io.sangdam.presence;

import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;

/** A session past {@code limits.wsConnectionsPerIdentity}: it is refused, those already in stay. */
final class TooManySessions extends SangdamException {
  TooManySessions(String who, int max) {
    super(ErrorCode.CONFLICT, who + " has " + max + " connections already");
  }
}
