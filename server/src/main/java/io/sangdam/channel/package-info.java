/**
 * Channels: where customers write from besides the widget (KakaoTalk, Naver TalkTalk, SMS, a company's
 * own app), kept as a tenant's configuration, and the custom channel's signed inbound webhook, which
 * feeds the same chat path as the widget; who a channel's customer is (links to the company's external
 * id, and the proposals to link that admins accept or reject); and the customers' ratings of channel
 * conversations ({@link io.sangdam.channel.ChannelRatings}), asked with a conversation's end and answered
 * by a score.
 */
package io.sangdam.channel;
