/** One routing engine per center, a serial actor that owns the center's waiting line and its agents' load and decides every assignment. */
package io.sangdam.routing;
