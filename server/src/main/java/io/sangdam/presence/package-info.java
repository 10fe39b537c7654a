/** Connected customers and agents: transport-independent sessions that turn protocol frames into service calls, the registry that delivers notifications, and agent status. */
package io.sangdam.presence;
