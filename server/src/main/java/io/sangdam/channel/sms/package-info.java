/**
 * SMS/LMS through a company's HTTP gateway: the gateway's inbound webhook (a number is a customer), the
 * 수신거부 opt-out, and texts sent through a configurable request template, split as Korean carriers count.
 */
package io.sangdam.channel.sms;
