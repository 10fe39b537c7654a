/** Typed, immutable configuration: defaults in one place, loaded from the properties file and SANGDAM_* environment variables, validated at start. */
package io.sangdam.config;
