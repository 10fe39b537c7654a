/** Sangdam's entry point and composition root: {@link io.sangdam.Main} parses the command line, {@link io.sangdam.Server} builds and runs everything. */
package io.sangdam;
