/**
 * Bot scenarios at the front door: the model parsed and validated from an admin's JSON, and a pure state machine that
 * walks a conversation through it (greeting, menus, forms, FAQ, business hours) to a hand-off, an inquiry or an end.
 * Nothing here stores, sends or reads a clock: the caller passes the time, the hours and the FAQ in.
 */
package io.sangdam.bot.scenario;
