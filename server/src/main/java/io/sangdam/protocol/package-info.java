/** The wire: outbound messages as records, the JSON codec, inbound field reading and the one enum of error codes. */
package io.sangdam.protocol;
