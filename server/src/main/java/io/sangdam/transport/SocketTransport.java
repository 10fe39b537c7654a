package io.sangdam.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the event loops wait for sockets: Linux's epoll through Netty's native transport where it
 * loads, else the JDK's selector. Under the contact-center day (12,500 sockets, each with a frame
 * every few seconds) the native transport spends less of the event loops' time per frame: no
 * selected-key sets, one system call per readiness change, edge-triggered reads. The load bench's echo server
 * uses the same choice, so that the relay is compared with an echo on the same transport.
 */
public record SocketTransport(String name, IoHandlerFactory handlers, Class<? extends ServerChannel> serverChannel) {
  private static final Logger log = LoggerFactory.getLogger(SocketTransport.class);

  /** Epoll on Linux when its native library loads (an x86_64 or aarch64 JVM, a temporary directory that may run code); else NIO, said once. */
  public static SocketTransport best() {
    if (Epoll.isAvailable()) {
      return new SocketTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
    }
    if (System.getProperty("os.name", "").startsWith("Linux")) {
      log.info("sockets through the JDK's selector: Netty's epoll transport did not load ({})",
          Epoll.unavailabilityCause().toString());
    }
    return new SocketTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
  }
}
