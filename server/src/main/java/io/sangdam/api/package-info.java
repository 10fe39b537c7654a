/**
 * The REST API as plain request-to-response functions: endpoint groups ({@code *Endpoints}, each a
 * resource and its routes), and {@link io.sangdam.api.Api}, which matches paths across them,
 * authenticates and audits. No Netty types.
 */
package io.sangdam.api;
