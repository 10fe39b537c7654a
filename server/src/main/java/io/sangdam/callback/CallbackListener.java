package io.sangdam.callback;

/**
 * Told after a request of a queue was stored or changed (claimed, called): the center's agents' queues of callbacks
 * are to be read again. Never blocks.
 */
@FunctionalInterface
public interface CallbackListener {
  void changed(long centerId, long queueId);
}
