package io.sangdam.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.EpollServerSocketChannel;
import org.junit.jupiter.api.Test;

class SocketTransportTest {
  @Test
  void onLinuxX8664TheEventLoopsUseEpoll() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
        "the native library shipped is Linux x86_64's");
    SocketTransport transport = SocketTransport.best();
    assertEquals("epoll", transport.name());
    assertEquals(EpollServerSocketChannel.class, transport.serverChannel());
  }
}
