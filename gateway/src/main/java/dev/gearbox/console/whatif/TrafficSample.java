package dev.gearbox.console.whatif;

import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.routing.Budget;
import dev.gearbox.routing.RequestSnapshot;
import dev.gearbox.routing.RouteDecision;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recent routed chat requests, what the rules saw of each and where they sent it, in a ring of fixed
 * size, so the console's what-if can replay an edit of the rules on real traffic. The prompt's text is kept
 * only when the operator opts in ({@code console.sample_prompts}).
 *
 * <p>On the request path: one small record a request, made of what routing already worked out (no tokenizer,
 * no score), and one slot written without a lock. Explained requests are not heard, so they are not kept.
 */
public final class TrafficSample implements ExchangeListener {

    /** How much of the last user message and of the system prompt is kept, when text is kept at all. */
    static final int TEXT_CHARS = 4096;

    private final AtomicReferenceArray<Sampled> slots;
    private final AtomicLong written = new AtomicLong();
    private final int textChars;
    private final Clock clock;

    /**
     * One request as it was routed.
     *
     * @param atMs when it was routed
     * @param maxCostUsd its cost budget header, or null
     * @param latencyBudgetMs its latency budget header, or null
     */
    public record Sampled(long atMs, RequestSnapshot request, Double maxCostUsd, Long latencyBudgetMs, String route,
                          String tier, String model) {

        public Sampled {
            java.util.Objects.requireNonNull(request, "request");
        }

        /** The budget it was routed within, as far as the headers set it. */
        public Budget budget() {
            return new Budget(maxCostUsd, latencyBudgetMs);
        }
    }

    private TrafficSample(int size, boolean keepText, Clock clock) {
        if (size < 1) {
            throw new IllegalArgumentException("size: " + size + " (expected: >= 1)");
        }
        this.slots = new AtomicReferenceArray<>(size);
        this.textChars = keepText ? TEXT_CHARS : 0;
        this.clock = clock;
    }

    /**
     * @param size how many requests to keep, the newest
     * @param keepText whether to keep the head of each prompt's text
     */
    public static TrafficSample of(int size, boolean keepText, Clock clock) {
        return new TrafficSample(size, keepText, clock);
    }

    @Override
    public void routed(Exchange exchange) {
        RouteDecision decision = exchange.decision();
        if (exchange.features() == null || decision == null) {
            return;
        }
        Budget budget = exchange.budget();
        Sampled sampled = new Sampled(clock.millis(), RequestSnapshot.of(exchange.features(), textChars),
                budget == null ? null : budget.maxCostUsd(), budget == null ? null : budget.latencyBudgetMs(),
                decision.route(), decision.tier(), decision.model().id());
        slots.set((int) (written.getAndIncrement() % slots.length()), sampled);
    }

    /** The kept requests, oldest first. */
    public List<Sampled> recent() {
        long end = written.get();
        long start = Math.max(0, end - slots.length());
        List<Sampled> out = new ArrayList<>((int) (end - start));
        for (long i = start; i < end; i++) {
            Sampled s = slots.get((int) (i % slots.length()));
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** How many requests it holds at most. */
    public int capacity() {
        return slots.length();
    }

    /** Whether it keeps the head of each prompt. */
    public boolean keepsText() {
        return textChars > 0;
    }
}
