/**
 * Channels: where customers write from besides the widget (KakaoTalk, Naver TalkTalk, SMS, a company's
 * own app), kept as a tenant's configuration, and the custom channel's signed inbound webhook, which
 * feeds the same chat path as the widget; and who a channel's customer is (links to the company's
 * external id, and the proposals to link that admins accept or reject).
 */
package io.sangdam.channel;
