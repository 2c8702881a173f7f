package dev.gearbox.testing;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI-compatible upstream that misbehaves byte by byte: a plain {@link ServerSocket} on
 * 127.0.0.1, one thread per connection, each request answered by a scripted {@link Reply} chosen by the
 * request's {@code model}. WireMock cannot lie about a length, stall between two bytes of a body or reset
 * a connection halfway through an event; this can.
 *
 * <p>Every connection keeps reading while its reply runs, so it learns the moment the gateway closes or
 * resets it: that is how a test tells whether the gateway released an upstream call it gave up on.
 */
public final class RawUpstream implements AutoCloseable {

    /** The longest any stall lasts, so a forgotten stall cannot outlive a test class. */
    private static final long MAX_STALL_MS = 60_000;

    private final ServerSocket server;
    private final Thread acceptor;
    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Reply> fallbacks = new ConcurrentHashMap<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean closed;

    private RawUpstream(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::accept, "raw-upstream-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    /** Starts listening on a free loopback port. */
    public static RawUpstream start() {
        try {
            ServerSocket socket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
            RawUpstream upstream = new RawUpstream(socket);
            upstream.acceptor.start();
            return upstream;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The base URL to configure as an {@code openai} provider's {@code base_url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /**
     * Scripts the replies to requests for {@code model}: the first request gets the first reply, and so on;
     * the last reply answers every request after that.
     */
    public RawUpstream on(String model, Reply... replies) {
        Deque<Reply> queue = new ArrayDeque<>(List.of(replies));
        scripts.put(model, queue);
        fallbacks.put(model, replies[replies.length - 1]);
        return this;
    }

    /** Every connection that carried a request for {@code model}, in the order they were served. */
    public List<Connection> connections(String model) {
        return connections.stream().filter(c -> c.models().contains(model)).toList();
    }

    /** How many requests for {@code model} arrived. */
    public int requests(String model) {
        return (int) connections.stream().flatMap(c -> c.requests().stream()).filter(r -> model.equals(r.model())).count();
    }

    /** Every request for {@code model} that arrived, in order. */
    public List<Request> requestsFor(String model) {
        return connections.stream().flatMap(c -> c.requests().stream()).filter(r -> model.equals(r.model())).toList();
    }

    private Reply next(String model) {
        Deque<Reply> queue = scripts.get(model);
        if (queue == null) {
            return Reply.json(404, "{\"error\":{\"message\":\"no script for model " + model
                    + "\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\"}}");
        }
        synchronized (queue) {
            Reply reply = queue.poll();
            return reply != null ? reply : fallbacks.get(model);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                Connection connection = new Connection(ids.incrementAndGet(), socket);
                connections.add(connection);
                Thread thread = new Thread(() -> connection.serve(this), "raw-upstream-conn-" + connection.id);
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                if (!closed) {
                    // A failed accept is no reason to stop serving the next connection.
                    continue;
                }
                return;
            }
        }
    }

    /** Stops listening and closes every connection; stalled replies end at once. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing is best effort.
        }
        for (Connection connection : connections) {
            connection.closeQuietly();
        }
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One request as it arrived.
     *
     * @param model the body's {@code model}, or null
     * @param receivedNanos {@link System#nanoTime()} when its last byte arrived
     */
    public record Request(String method, String path, Map<String, String> headers, byte[] body, String model,
                          long receivedNanos) {

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One accepted TCP connection and what became of it. */
    public static final class Connection {
        private final int id;
        private final Socket socket;
        private final long acceptedNanos = System.nanoTime();
        private final List<Request> requests = new CopyOnWriteArrayList<>();
        private final CountDownLatch gone = new CountDownLatch(1);
        private volatile long peerClosedNanos = -1;
        private volatile long selfClosedNanos = -1;
        private volatile boolean closing;
        private volatile Worker current;

        Connection(int id, Socket socket) {
            this.id = id;
            this.socket = socket;
        }

        public int id() {
            return id;
        }

        public long acceptedNanos() {
            return acceptedNanos;
        }

        public List<Request> requests() {
            return List.copyOf(requests);
        }

        List<String> models() {
            return requests.stream().map(Request::model).toList();
        }

        /** When the gateway closed or reset the connection ({@link System#nanoTime()}), or -1 while it has not. */
        public long peerClosedNanos() {
            return peerClosedNanos;
        }

        /** When this upstream closed or reset it itself, or -1. */
        public long selfClosedNanos() {
            return selfClosedNanos;
        }

        /** Whether either side has closed the connection. */
        public boolean isClosed() {
            return peerClosedNanos >= 0 || selfClosedNanos >= 0;
        }

        /** Waits until either side has closed the connection; false when it is still open after {@code timeout}. */
        public boolean awaitClosed(Duration timeout) {
            try {
                return gone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public String toString() {
            return "connection " + id + " (" + requests.size() + " request(s), " + (peerClosedNanos >= 0 ? "closed by the gateway"
                    : selfClosedNanos >= 0 ? "closed by the upstream" : "open") + ")";
        }

        private void serve(RawUpstream upstream) {
            try {
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                RequestReader reader = new RequestReader(in);
                while (true) {
                    Request request = reader.next();
                    if (request == null) {
                        peerClosed();
                        return;
                    }
                    requests.add(request);
                    Reply reply = upstream.next(request.model());
                    // The reply runs on its own thread so this one goes on reading: that read is what sees the
                    // gateway close the connection in the middle of a reply.
                    Worker worker = new Worker(reply, out);
                    current = worker;
                    Thread thread = new Thread(worker, "raw-upstream-reply-" + id);
                    thread.setDaemon(true);
                    thread.start();
                    if (!reader.awaitNextOrEnd(worker)) {
                        peerClosed();
                        return;
                    }
                    if (worker.closedConnection) {
                        return;
                    }
                }
            } catch (IOException e) {
                if (closing) {
                    selfClosed();
                } else {
                    peerClosed();
                }
            } finally {
                Worker worker = current;
                if (worker != null) {
                    // Whatever ended the connection, a stalled reply has nothing left to wait for.
                    worker.peerGone.countDown();
                }
                gone.countDown();
            }
        }

        private void peerClosed() {
            if (!closing && peerClosedNanos < 0) {
                peerClosedNanos = System.nanoTime();
            }
            closeQuietly();
        }

        private void selfClosed() {
            if (selfClosedNanos < 0 && peerClosedNanos < 0) {
                selfClosedNanos = System.nanoTime();
            }
        }

        void closeQuietly() {
            closing = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // Already closed.
            }
            gone.countDown();
        }

        /** Runs one reply's steps. */
        private final class Worker implements Runnable {
            private final Reply reply;
            private final OutputStream out;
            private final CountDownLatch peerGone = new CountDownLatch(1);
            private final CountDownLatch done = new CountDownLatch(1);
            private volatile boolean closedConnection;

            Worker(Reply reply, OutputStream out) {
                this.reply = reply;
                this.out = out;
            }

            @Override
            public void run() {
                try {
                    for (Reply.Step step : reply.steps()) {
                        if (!run(step)) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    // The gateway went away mid-reply; the reading side records it.
                } finally {
                    done.countDown();
                }
            }

            private boolean run(Reply.Step step) throws IOException {
                if (step instanceof Reply.Write w) {
                    out.write(w.bytes());
                    out.flush();
                } else if (step instanceof Reply.Pause p) {
                    if (waitForPeer(p.millis())) {
                        return false;
                    }
                } else if (step instanceof Reply.Stall) {
                    waitForPeer(MAX_STALL_MS);
                    return false;
                } else if (step instanceof Reply.Close) {
                    closedConnection = true;
                    closing = true;
                    selfClosed();
                    socket.shutdownOutput();
                    socket.close();
                    return false;
                } else if (step instanceof Reply.Reset) {
                    closedConnection = true;
                    closing = true;
                    selfClosed();
                    socket.setSoLinger(true, 0);
                    socket.close();
                    return false;
                }
                return true;
            }

            /** True when the gateway closed the connection within {@code millis}. */
            private boolean waitForPeer(long millis) {
                try {
                    return peerGone.await(millis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }
        }

        /** Reads HTTP/1.1 requests off the connection. */
        private final class RequestReader {
            private final InputStream in;
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            RequestReader(InputStream in) {
                this.in = in;
            }

            /** The next whole request, or null when the connection ended first. */
            Request next() throws IOException {
                byte[] head = readHead();
                if (head == null) {
                    return null;
                }
                String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
                String[] requestLine = lines[0].split(" ");
                Map<String, String> headers = new java.util.LinkedHashMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon > 0) {
                        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                    }
                }
                byte[] body;
                if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                    body = readChunked();
                } else {
                    body = readExactly(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                }
                if (body == null) {
                    return null;
                }
                String model = null;
                try {
                    model = new JsonObject(new String(body, StandardCharsets.UTF_8)).getString("model");
                } catch (RuntimeException notJson) {
                    // A request without a readable model gets the unscripted answer.
                }
                return new Request(requestLine[0], requestLine.length > 1 ? requestLine[1] : "", headers, body, model,
                        System.nanoTime());
            }

            /**
             * Waits for the reply to finish while watching the connection; false when the gateway closed it
             * (the reply is then told to stop).
             */
            boolean awaitNextOrEnd(Worker worker) throws IOException {
                // Reads whatever comes next: -1 is the gateway closing; bytes are a next request on a kept
                // connection, which waits until the current reply is done (HTTP/1.1 answers in order).
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                pending.write(b);
                try {
                    worker.done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }

            private byte[] readHead() throws IOException {
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                byte[] early = pending.toByteArray();
                pending.reset();
                head.write(early);
                while (!endsWithBlankLine(head)) {
                    int b = in.read();
                    if (b < 0) {
                        return null;
                    }
                    head.write(b);
                }
                byte[] bytes = head.toByteArray();
                return java.util.Arrays.copyOf(bytes, bytes.length - 4);
            }

            private byte[] readExactly(int n) throws IOException {
                byte[] body = in.readNBytes(n);
                return body.length == n ? body : null;
            }

            private byte[] readChunked() throws IOException {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                while (true) {
                    String size = readLine();
                    if (size == null) {
                        return null;
                    }
                    int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                    if (n == 0) {
                        readLine();
                        return body.toByteArray();
                    }
                    byte[] chunk = readExactly(n);
                    if (chunk == null) {
                        return null;
                    }
                    body.write(chunk);
                    readLine();
                }
            }

            private String readLine() throws IOException {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                while (true) {
                    int b = in.read();
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

            private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
                byte[] b = head.toByteArray();
                int n = b.length;
                return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
            }
        }
    }

    /**
     * What the upstream does with one request: bytes to write, pauses, a stall, a close or a reset, in
     * order. A reply that ends without a close leaves the connection open for the next request.
     */
    public record Reply(List<Step> steps) {

        public sealed interface Step permits Write, Pause, Stall, Close, Reset {
        }

        public record Write(byte[] bytes) implements Step {
        }

        /** Waits, ending the reply early if the gateway closes the connection meanwhile. */
        public record Pause(long millis) implements Step {
        }

        /** Writes nothing more until the gateway closes the connection (or the upstream stops). */
        public record Stall() implements Step {
        }

        public record Close() implements Step {
        }

        /** Closes with SO_LINGER 0: a TCP reset, not a clean end. */
        public record Reset() implements Step {
        }

        public static Reply of() {
            return new Reply(List.of());
        }

        public Reply write(byte[] bytes) {
            return plus(new Write(bytes));
        }

        public Reply write(String text) {
            return write(text.getBytes(StandardCharsets.UTF_8));
        }

        public Reply pause(long millis) {
            return plus(new Pause(millis));
        }

        public Reply stall() {
            return plus(new Stall());
        }

        public Reply close() {
            return plus(new Close());
        }

        public Reply reset() {
            return plus(new Reset());
        }

        /** Writes {@code bytes} {@code perWrite} at a time, {@code delayMs} apart. */
        public Reply drip(byte[] bytes, int perWrite, long delayMs) {
            Reply reply = this;
            for (int at = 0; at < bytes.length; at += perWrite) {
                if (at > 0) {
                    reply = reply.pause(delayMs);
                }
                reply = reply.write(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + perWrite)));
            }
            return reply;
        }

        private Reply plus(Step step) {
            List<Step> more = new ArrayList<>(steps);
            more.add(step);
            return new Reply(List.copyOf(more));
        }

        /** A response head with these headers ({@code name: value} lines) and nothing else. */
        public static String head(int status, String... headers) {
            StringBuilder out = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
            for (String header : headers) {
                out.append(header).append("\r\n");
            }
            return out.append("\r\n").toString();
        }

        /** A whole response with a body of the given type and a true {@code Content-Length}, kept alive. */
        public static Reply body(int status, String contentType, byte[] body) {
            return of().write(head(status, "Content-Type: " + contentType, "Content-Length: " + body.length)).write(body);
        }

        public static Reply json(int status, String body) {
            return body(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }

        /** The head of an event stream sent chunked, as OpenAI sends one. */
        public static Reply sseHead() {
            return of().write(head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked", "Cache-Control: no-cache"));
        }

        /** One HTTP chunk holding these bytes. */
        public static byte[] chunk(byte[] data) {
            byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[size.length + data.length + 2];
            System.arraycopy(size, 0, out, 0, size.length);
            System.arraycopy(data, 0, out, size.length, data.length);
            out[out.length - 2] = '\r';
            out[out.length - 1] = '\n';
            return out;
        }

        public static byte[] chunk(String data) {
            return chunk(data.getBytes(StandardCharsets.UTF_8));
        }

        /** The chunk that ends a chunked body. */
        public static final String LAST_CHUNK = "0\r\n\r\n";

        /** An event stream: each event in its own chunk, {@code delayMs} apart, then the last chunk. */
        public static Reply sse(long delayMs, String... events) {
            Reply reply = sseHead();
            for (int i = 0; i < events.length; i++) {
                if (i > 0 && delayMs > 0) {
                    reply = reply.pause(delayMs);
                }
                reply = reply.write(chunk("data: " + events[i] + "\n\n"));
            }
            return reply.write(LAST_CHUNK);
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 404 -> "Not Found";
                case 429 -> "Too Many Requests";
                case 500 -> "Internal Server Error";
                case 502 -> "Bad Gateway";
                case 503 -> "Service Unavailable";
                default -> "Status";
            };
        }
    }
}
