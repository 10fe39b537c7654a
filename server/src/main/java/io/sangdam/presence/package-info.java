/**
 * Connected customers and agents: transport-independent sessions that look up a handler per frame
 * type in their socket's table ({@link io.sangdam.presence.AgentFrames},
 * {@link io.sangdam.presence.CustomerFrames}), the registry of sessions and watches, the delivery of
 * conversation events to them, and agent status.
 */
package io.sangdam.presence;
