/** Connected customers and agents: transport-independent sessions that turn protocol frames into service calls, the registry of sessions and watches, the delivery of conversation events to them, and agent status. */
package io.sangdam.presence;
