package io.gridline.devservices;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A tiny Redis client for tests: RESP arrays out, simple replies in (status, error, integer, bulk string). */
public final class Resp implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  public Resp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** Sends one command and returns the reply: status text, ":n" as text, bulk string, null for a nil bulk. */
  public String call(String... args) throws IOException {
    StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.UTF_8);
      sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
    }
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    String line = line();
    switch (line.charAt(0)) {
      case '+':
      case ':':
        return line.substring(1);
      case '-':
        throw new IOException("redis error: " + line.substring(1));
      case '$': {
        int len = Integer.parseInt(line.substring(1));
        if (len < 0) {
          return null;
        }
        byte[] data = in.readNBytes(len + 2);
        return new String(data, 0, len, StandardCharsets.UTF_8);
      }
      default:
        throw new IOException("unexpected reply " + line);
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (prev == '\r' && c == '\n') {
        byte[] b = buf.toByteArray();
        return new String(b, 0, b.length - 1, StandardCharsets.UTF_8);
      }
      buf.write(c);
      prev = c;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
