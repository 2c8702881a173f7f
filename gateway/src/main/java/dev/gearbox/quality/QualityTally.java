package dev.gearbox.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sums the quality log keeps per day, added up over days: verdicts and feedback per route and tier, shadow
 * spend per route. Stores fill one as they read; {@link #routes()} gives what {@code GET /admin/quality} and the
 * quality gauges show. Not thread-safe.
 */
public final class QualityTally {

    private final Map<String, Counts> byRoute = new TreeMap<>();

    /** {@code n} verdicts of {@code comparison} on answers of {@code tier} on {@code route}. */
    public void verdicts(String route, String tier, Comparison comparison, long n) {
        Counts c = route(route);
        c.verdicts.computeIfAbsent(tier, t -> new long[Comparison.values().length])[comparison.ordinal()] += n;
    }

    /** {@code count} scores adding up to {@code sum} on answers of {@code tier} on {@code route}. */
    public void feedback(String route, String tier, long count, double sum) {
        Counts c = route(route);
        c.feedbackCount += count;
        c.feedbackSum += sum;
    }

    public void shadowSpend(String route, double usd) {
        route(route).shadowSpendUsd += usd;
    }

    private Counts route(String route) {
        return byRoute.computeIfAbsent(route, r -> new Counts());
    }

    /** Every route with anything to show, by name. */
    public List<RouteReport> routes() {
        List<RouteReport> out = new ArrayList<>();
        byRoute.forEach((route, c) -> {
            long[] all = new long[Comparison.values().length];
            c.verdicts.values().forEach(v -> {
                for (int i = 0; i < all.length; i++) {
                    all[i] += v[i];
                }
            });
            long[] cheap = c.verdicts.getOrDefault(QualityLabel.CHEAP, new long[all.length]);
            out.add(new RouteReport(route, all[Comparison.CHEAP_BETTER.ordinal()], all[Comparison.TIE.ordinal()],
                    all[Comparison.REASONING_BETTER.ordinal()], c.feedbackCount, c.feedbackSum, c.shadowSpendUsd,
                    cheap[0] + cheap[1] + cheap[2], cheap[Comparison.CHEAP_BETTER.ordinal()] + cheap[Comparison.TIE.ordinal()]));
        });
        return out;
    }

    /**
     * What the log says of a route.
     *
     * @param judgedCheap verdicts on answers of the cheap tier: the sample of {@link #retained()}
     * @param cheapAsGood of those, the answers judged as good as the reasoning tier's or better
     */
    public record RouteReport(String route, long cheapBetter, long tie, long reasoningBetter, long feedbackCount,
                              double feedbackSum, double shadowSpendUsd, long judgedCheap, long cheapAsGood) {

        /** The mean feedback score, NaN without feedback. */
        public double feedbackMean() {
            return feedbackCount == 0 ? Double.NaN : feedbackSum / feedbackCount;
        }

        /**
         * The estimate of quality retained by sending the route's requests to the cheap tier: the share of its
         * judged cheap answers that were as good as the reasoning tier's; NaN before any.
         */
        public double retained() {
            return judgedCheap == 0 ? Double.NaN : (double) cheapAsGood / judgedCheap;
        }
    }

    private static final class Counts {
        final Map<String, long[]> verdicts = new TreeMap<>();
        long feedbackCount;
        double feedbackSum;
        double shadowSpendUsd;
    }
}
