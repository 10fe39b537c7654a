/**
 * Each center's chat widget: how it looks (title, colour, logo, welcome, transcript), the pre-chat form it asks
 * before a chat, and the answers and consent each customer gave, kept with their conversation.
 */
package io.sangdam.widget;
