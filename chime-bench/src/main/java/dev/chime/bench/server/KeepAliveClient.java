package dev.chime.bench.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A load generator's HTTP/1.1 client: one keep-alive connection, requests written as prepared
 * bytes, responses read just far enough to know the status and where the next one starts
 * (Content-Length or chunked bodies, discarded). It exists because {@code java.net.http.HttpClient}
 * used about 40% of this 2-core machine while the server bench posted jobs (its request builders,
 * publishers and selector thread per request), CPU the server under test did not get; this client
 * costs a small fraction of that, as {@code wrk} would. Not a general client: no TLS, no redirects,
 * no 1xx responses, no trailers beyond skipping them. One thread at a time.
 */
final class KeepAliveClient implements Closeable {
  private final InetSocketAddress address;
  private final int timeoutMillis;
  private final byte[] host;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final ByteArrayOutputStream request = new ByteArrayOutputStream(512);
  private final StringBuilder line = new StringBuilder(128);

  KeepAliveClient(String hostName, int port, int timeoutMillis) {
    this.address = new InetSocketAddress(hostName, port);
    this.timeoutMillis = timeoutMillis;
    this.host = ("Host: " + hostName + ":" + port + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** POSTs a JSON body and returns the response's status code; the body is read and dropped. */
  int postJson(String path, byte[] body) throws IOException {
    request.reset();
    request.writeBytes(("POST " + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(host);
    request.writeBytes(
        ("Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(body);
    boolean fresh = socket == null;
    try {
      return exchange();
    } catch (EOFException | java.net.SocketException closed) {
      if (fresh) {
        throw closed;
      }
      disconnect(); // the server closed an idle keep-alive connection: once more on a new one
      return exchange();
    }
  }

  private int exchange() throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(timeoutMillis);
      socket.connect(address, timeoutMillis);
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      out = socket.getOutputStream();
    }
    request.writeTo(out);
    out.flush();
    String status = readLine();
    if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
      throw new IOException("not an HTTP/1.1 status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String header = readLine(); !header.isEmpty(); header = readLine()) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        throw new IOException("malformed header: " + header);
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    if (chunked) {
      for (long size = chunkSize(); size > 0; size = chunkSize()) {
        skip(size);
        expectEmptyLine();
      }
      while (!readLine().isEmpty()) {
        // trailers
      }
    } else if (length > 0) {
      skip(length);
    } else if (length < 0 && code != 204 && code != 304) {
      close = true; // a body that ends with the connection: read it to the end
      while (in.read() >= 0) {
        // discarded
      }
    }
    if (close) {
      disconnect();
    }
    return code;
  }

  private long chunkSize() throws IOException {
    String size = readLine();
    int extension = size.indexOf(';');
    return Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
  }

  private void expectEmptyLine() throws IOException {
    if (!readLine().isEmpty()) {
      throw new IOException("a chunk did not end with CRLF");
    }
  }

  private void skip(long count) throws IOException {
    for (long left = count; left > 0; ) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("the connection closed inside a response body");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private String readLine() throws IOException {
    line.setLength(0);
    for (int c = in.read(); ; c = in.read()) {
      if (c < 0) {
        throw new EOFException("the connection closed inside a response");
      }
      if (c == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append((char) c);
    }
  }

  private void disconnect() throws IOException {
    Socket open = socket;
    socket = null;
    in = null;
    out = null;
    if (open != null) {
      open.close();
    }
  }

  @Override
  public void close() throws IOException {
    disconnect();
  }
}
