/**
 * Callback requests (콜백 예약): a customer asks to be called at a slot of a center's business hours; the center's
 * agents claim the due ones, one agent each, and record what came of the call.
 */
package io.sangdam.callback;
