package io.gridline.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Free TCP ports on 127.0.0.1.
 *
 * <p>A port is free when it was handed out; something else may take it before the caller binds. To keep
 * that race out of one JVM, a port handed out recently is never handed out again by this class.
 */
public final class FreePorts {

  private static final int REMEMBERED = 4096;
  private static final Set<Integer> issued = new HashSet<>();
  private static final ArrayDeque<Integer> issuedOrder = new ArrayDeque<>();

  private FreePorts() {
  }

  /** A TCP port that nothing listens on at 127.0.0.1 right now, and that this JVM has not handed out lately. */
  public static int find() {
    IOException last = null;
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        port = socket.getLocalPort();
      } catch (IOException e) {
        last = e;
        continue;
      }
      synchronized (issued) {
        if (issued.add(port)) {
          issuedOrder.addLast(port);
          if (issuedOrder.size() > REMEMBERED) {
            issued.remove(issuedOrder.removeFirst());
          }
          return port;
        }
      }
    }
    throw new UncheckedIOException("no free TCP port found on 127.0.0.1", last != null ? last : new IOException("all candidates were handed out recently"));
  }

  /** True when a server socket can bind 127.0.0.1:port right now. */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void requireFree(int port, String what) {
    if (!isFree(port)) {
      throw new IllegalStateException("cannot start embedded " + what + ": 127.0.0.1:" + port + " is already in use");
    }
  }

  /** True when something accepts TCP connections on 127.0.0.1:port within timeoutMillis. */
  public static boolean listening(int port, int timeoutMillis) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), timeoutMillis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
