package dev.gearbox.testing;

import dev.gearbox.state.Limits;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * Keyed requests sent without pause by a number of clients, each sending its next as soon as its last is
 * answered, until told to stop; every answer is kept, so a test can count request by request what was served.
 * Each client sends a whole answer and a stream in turn, each with its own key, so the ledger's rows tell them
 * apart: a whole answer's cost is its {@code x-gearbox-cost-usd}; a stream counts as served when it ends with
 * {@code [DONE]}.
 */
public final class Traffic {

    /** Where each client sends its n-th request: a gateway's base URL. */
    private final IntFunction<String> target;
    private final String model;
    private final String wholeKey;
    private final String streamKey;
    private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    private final List<CompletableFuture<Void>> clients = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Traffic(IntFunction<String> target, String model, String wholeKey, String streamKey) {
        this.target = target;
        this.model = model;
        this.wholeKey = wholeKey;
        this.streamKey = streamKey;
    }

    /** Starts {@code clients} clients asking for sim-cheap; the n-th request of all goes to {@code target.apply(n)}. */
    public static Traffic start(int clients, IntFunction<String> target, String wholeKey, String streamKey) {
        return start(clients, target, "sim-cheap", wholeKey, streamKey);
    }

    /** Starts {@code clients} clients asking for {@code model}. */
    public static Traffic start(int clients, IntFunction<String> target, String model, String wholeKey, String streamKey) {
        Traffic traffic = new Traffic(target, model, wholeKey, streamKey);
        for (int i = 0; i < clients; i++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            traffic.clients.add(done);
            traffic.next(i, done);
        }
        return traffic;
    }

    private void next(int sent, CompletableFuture<Void> done) {
        if (stopped.get()) {
            done.complete(null);
            return;
        }
        boolean stream = sent % 2 == 1;
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":40,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say something short.\"}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.apply(outcomes.size() + sent) + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .header("authorization", "Bearer " + (stream ? streamKey : wholeKey))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long sentNanos = System.nanoTime();
        TestGateway.http().sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            outcomes.add(failure != null ? new Outcome(stream, -1, false, -1, failure.toString(), sentNanos)
                    : new Outcome(stream, response.statusCode(), served(stream, response), cost(stream, response),
                    response.body(), sentNanos));
            next(sent + 1, done);
        });
    }

    private static boolean served(boolean stream, HttpResponse<String> response) {
        return response.statusCode() == 200 && (!stream || response.body().contains("data: [DONE]"));
    }

    private static long cost(boolean stream, HttpResponse<String> response) {
        return stream || response.statusCode() != 200 ? -1
                : Limits.nanos(Double.parseDouble(response.headers().firstValue("x-gearbox-cost-usd").orElse("0")));
    }

    /** Answers so far. */
    public int answered() {
        return outcomes.size();
    }

    /** Whole answers and streams served so far. */
    public long served() {
        synchronized (outcomes) {
            return outcomes.stream().filter(Outcome::served).count();
        }
    }

    /** Whether a request was answered with {@code status}. */
    public boolean answeredWith(int status) {
        synchronized (outcomes) {
            return outcomes.stream().anyMatch(o -> o.status() == status);
        }
    }

    /** Whether a request was sent after {@code nanos} ({@link System#nanoTime}). */
    public boolean sentAfter(long nanos) {
        synchronized (outcomes) {
            return outcomes.stream().anyMatch(o -> o.sentNanos() > nanos);
        }
    }

    /** Stops every client once its request in flight is answered, and waits for that. */
    public List<Outcome> stop() {
        stopped.set(true);
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();
        synchronized (outcomes) {
            return List.copyOf(outcomes);
        }
    }

    /**
     * One answer.
     *
     * @param status the HTTP status, or -1 when the connection failed
     * @param costNanos a whole answer's cost, -1 otherwise
     * @param body the body, or what failed
     * @param sentNanos when it was sent ({@link System#nanoTime})
     */
    public record Outcome(boolean stream, int status, boolean served, long costNanos, String body, long sentNanos) {
    }
}
