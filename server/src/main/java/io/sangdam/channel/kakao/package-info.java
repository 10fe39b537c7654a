/**
 * KakaoTalk 상담톡 through a dealer (hub partner): the dealer's webhook events read into the channels'
 * inbound path, and agents' messages sent with the dealer's send API.
 */
package io.sangdam.channel.kakao;
