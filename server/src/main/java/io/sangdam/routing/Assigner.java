package io.sangdam.routing;

/**
 * Carries out an engine's decision (persist, notify). Called on the engine's thread; must not
 * block. When it cannot complete, it reports back with {@link Routing#released} or {@link Routing#offer}.
 */
public interface Assigner {
  void assign(long conversationId, long agentId);
}
