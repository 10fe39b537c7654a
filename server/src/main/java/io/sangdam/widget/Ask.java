package io.sangdam.widget;

/** Whether the pre-chat form asks for a field, and whether the customer must give it. */
public enum Ask { OFF, OPTIONAL, REQUIRED }
