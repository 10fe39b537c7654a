/** Netty only: the HTTP and WebSocket port, its pipeline, and the adapters that hand requests to api and frames to presence. */
package io.sangdam.transport;
