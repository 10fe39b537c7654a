package io.sangdam.callback;

/** OPEN: waiting for an agent; CLAIMED: an agent is calling; DONE: a final outcome is recorded. */
public enum CallbackState { OPEN, CLAIMED, DONE }
