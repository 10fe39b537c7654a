/**
 * Naver TalkTalk (톡톡) after its public chatbot partner API: the webhook its events come to, and the
 * delivery of agents' messages through its send API.
 */
package io.sangdam.channel.naver;
