package dev.gearbox.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A raw-socket HTTP/1.1 client: sends whatever bytes a test gives it, however wrong, and reads back what
 * the server answers and whether it closed the connection. For the requests a real HTTP client refuses to
 * send (bad header names, bare CR or NUL in values, a body that never comes, pipelining, paths it would
 * normalise).
 */
public final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream unread = new ByteArrayOutputStream();
    private boolean eof;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to a server on 127.0.0.1. */
    public static RawClient connect(int port) {
        try {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return new RawClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends bytes as they are; false when the server had already closed the connection. */
    public boolean send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A request with a JSON body and a true {@code Content-Length}; {@code headers} are whole lines. */
    public static byte[] post(String path, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    public static byte[] post(String path, String body, String... headers) {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public static byte[] get(String path, String... headers) {
        StringBuilder head = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads one response (status line, headers, and a body by {@code Content-Length}, chunks, or up to the
     * close). Empty when the connection ended or {@code timeout} passed before a whole response arrived.
     */
    public Optional<RawResponse> read(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            byte[] headBytes = readUntilBlankLine(deadline);
            if (headBytes == null) {
                return Optional.empty();
            }
            String head = new String(headBytes, StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            String[] status = lines[0].split(" ", 3);
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
                }
            }
            RawResponse partial = new RawResponse(Integer.parseInt(status[1]), status.length > 2 ? status[2] : "", headers,
                    new byte[0]);
            byte[] body;
            if (partial.header("transfer-encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false)) {
                body = readChunked(deadline);
            } else if (partial.header("content-length").isPresent()) {
                body = readExactly(Integer.parseInt(partial.header("content-length").get()), deadline);
            } else if (partial.status() == 204 || partial.status() == 304 || partial.status() / 100 == 1) {
                body = new byte[0];
            } else {
                body = readToEnd(deadline);
            }
            if (body == null) {
                return Optional.empty();
            }
            return Optional.of(new RawResponse(partial.status(), partial.reason(), headers, body));
        } catch (IOException e) {
            eof = true;
            return Optional.empty();
        }
    }

    /** Reads one response, failing the test when none comes within {@code timeout}. */
    public RawResponse response(Duration timeout) {
        return read(timeout).orElseThrow(() -> new AssertionError("no whole response within " + timeout.toMillis()
                + " ms; the server " + (eof ? "closed the connection" : "kept the connection open") + " after "
                + unread.size() + " unread bytes: " + unread.toString(StandardCharsets.ISO_8859_1)));
    }

    /**
     * Waits for the server to close the connection, discarding anything it sends first; true when it closed
     * (or reset) it within {@code timeout}.
     */
    public boolean awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!eof) {
                int b = readByte(deadline);
                if (b == -2) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            eof = true;
            return true;
        }
    }

    /** Whether the server has closed the connection, as far as reads so far have seen. */
    public boolean closedByServer() {
        return eof;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    /** The next byte, -1 at the end of the stream, -2 when the deadline passed first. */
    private int readByte(long deadline) throws IOException {
        if (eof) {
            return -1;
        }
        long leftMs = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0) {
            return -2;
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, leftMs)));
        try {
            int b = in.read();
            if (b < 0) {
                eof = true;
            }
            return b;
        } catch (SocketTimeoutException e) {
            return -2;
        } catch (SocketException e) {
            // A reset is a close, too.
            eof = true;
            return -1;
        }
    }

    private byte[] readUntilBlankLine(long deadline) throws IOException {
        unread.reset();
        while (true) {
            int b = readByte(deadline);
            if (b < 0) {
                return null;
            }
            unread.write(b);
            byte[] s = unread.toByteArray();
            int n = s.length;
            if (n >= 4 && s[n - 4] == '\r' && s[n - 3] == '\n' && s[n - 2] == '\r' && s[n - 1] == '\n') {
                unread.reset();
                return java.util.Arrays.copyOf(s, n - 4);
            }
        }
    }

    private byte[] readExactly(int n, long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(Math.max(16, Math.min(n, 1 << 24)));
        byte[] buffer = new byte[64 * 1024];
        while (body.size() < n) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, leftMs));
            int read;
            try {
                read = in.read(buffer, 0, Math.min(buffer.length, n - body.size()));
            } catch (SocketTimeoutException e) {
                return null;
            } catch (SocketException e) {
                eof = true;
                return null;
            }
            if (read < 0) {
                eof = true;
                return null;
            }
            body.write(buffer, 0, read);
        }
        return body.toByteArray();
    }

    private byte[] readChunked(long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(deadline);
            if (size == null) {
                return null;
            }
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                // Trailers, if any, end with a blank line.
                String line;
                do {
                    line = readLine(deadline);
                } while (line != null && !line.isEmpty());
                return body.toByteArray();
            }
            byte[] chunk = readExactly(n, deadline);
            if (chunk == null || readLine(deadline) == null) {
                return null;
            }
            body.write(chunk);
        }
    }

    private byte[] readToEnd(long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int b = readByte(deadline);
            if (b == -1) {
                return body.toByteArray();
            }
            if (b == -2) {
                return null;
            }
            body.write(b);
        }
    }

    private String readLine(long deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = readByte(deadline);
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
    }

    /** One response as it came over the wire. */
    public record RawResponse(int status, String reason, List<String[]> headers, byte[] body) {

        /** The first value of a header, by case-insensitive name. */
        public Optional<String> header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + reason + " " + headers.stream().map(h -> h[0] + ": " + h[1]).toList() + " "
                    + (body.length > 500 ? bodyText().substring(0, 500) + "..." : bodyText());
        }
    }
}
