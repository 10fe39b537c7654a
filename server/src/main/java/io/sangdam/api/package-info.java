/** The REST API as plain request-to-response functions: routing of paths, authentication, and the endpoints. No Netty types. */
package io.sangdam.api;
