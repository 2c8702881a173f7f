package dev.gearbox.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.state.Limits;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What clients were served, set against what the gateway's usage ledger says, request by request: every whole
 * answer served is in the ledger at the cost its header gave, every stream that ended with {@code [DONE]} is in
 * it, and nothing else is.
 */
public final class Ledger {

    private static final Logger LOG = LoggerFactory.getLogger("gearbox.test.ledger");

    private Ledger() {
    }

    /**
     * Waits until the ledger of {@code team} holds exactly what {@code outcomes} were served, the whole answers
     * under {@code wholeKeyId} and the streams under {@code streamKeyId}, and checks the whole answers' cost.
     */
    public static void assertHoldsExactlyWhatWasServed(TestGateway admin, String team, String wholeKeyId,
                                                       String streamKeyId, List<Traffic.Outcome> outcomes) {
        check(admin, team, wholeKeyId, streamKeyId, outcomes, false, 0);
    }

    /**
     * The same across a Redis failover: the ledger may lack only answers whose writes no Redis replica
     * acknowledged in time, which the gateways counted in {@code gearbox_state_unreplicated_writes_total}
     * ({@code replicas}' sum) as the writes a failover may lose; every other answer is there. One write (a lease's
     * batch of settles) holds at most the {@code inFlight} requests the traffic had under way.
     */
    public static void assertHoldsWhatWasServedBarTheUnreplicated(TestGateway admin, String team, String wholeKeyId,
                                                                  String streamKeyId, List<Traffic.Outcome> outcomes,
                                                                  int inFlight, TestGateway... replicas) {
        long unreplicated = 0;
        for (TestGateway replica : replicas) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^gearbox_state_unreplicated_writes_total\\S* (\\S+)$")
                    .matcher(replica.get("/metrics").body());
            unreplicated += m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
        }
        if (unreplicated > 0) {
            LOG.info("{} writes were trusted to a primary alone during the failover", unreplicated);
        }
        check(admin, team, wholeKeyId, streamKeyId, outcomes, false, unreplicated * inFlight);
    }

    /**
     * The same when a replica was killed: an answer it had counted but not yet delivered (its client saw the
     * connection drop) was paid for upstream and is in the ledger too. So the ledger holds every answer served,
     * and at most the cut ones more: none is lost.
     */
    public static void assertHoldsWhatWasServedAndAtMostWhatWasCut(TestGateway admin, String team, String wholeKeyId,
                                                                   String streamKeyId, List<Traffic.Outcome> outcomes) {
        check(admin, team, wholeKeyId, streamKeyId, outcomes, true, 0);
    }

    private static void check(TestGateway admin, String team, String wholeKeyId, String streamKeyId,
                              List<Traffic.Outcome> outcomes, boolean cutMayCount, long mayLose) {
        long whole = outcomes.stream().filter(o -> !o.stream() && o.served()).count();
        long streams = outcomes.stream().filter(o -> o.stream() && o.served()).count();
        long cutWhole = cutMayCount ? outcomes.stream().filter(o -> !o.stream() && o.status() == -1).count() : 0;
        long cutStreams = cutMayCount ? outcomes.stream().filter(o -> o.stream() && o.status() == -1).count() : 0;
        long cost = outcomes.stream().filter(o -> !o.stream() && o.served()).mapToLong(Traffic.Outcome::costNanos).sum();
        assertThat(outcomes).as("answered 200 but not served whole (a cut stream)")
                .noneMatch(o -> o.status() == 200 && !o.served());
        try {
            Eventually.await(Duration.ofSeconds(20), "the ledger holding the " + whole + " whole answers and " + streams
                    + " streams served (and at most " + cutWhole + " and " + cutStreams + " cut ones)", () -> {
                long w = requests(admin, team, wholeKeyId);
                long s = requests(admin, team, streamKeyId);
                long lost = Math.max(0, whole - w) + Math.max(0, streams - s);
                return lost <= mayLose && w <= whole + cutWhole && s <= streams + cutStreams;
            });
        } catch (AssertionError e) {
            // Which way it is off tells a lost settle (fewer) from an answer counted but never delivered (more).
            throw new AssertionError(e.getMessage() + "; it holds " + requests(admin, team, wholeKeyId) + " and "
                    + requests(admin, team, streamKeyId) + "; " + outcomes.stream().filter(o -> o.status() == -1).count()
                    + " requests failed to connect or were cut", e);
        }
        long spend = Math.round(usage(admin, team, wholeKeyId).getDouble("spend_usd") * Limits.NANOS_PER_USD);
        long held = requests(admin, team, wholeKeyId);
        if (held == whole) {
            assertThat(spend).as("spend of the whole answers, to the nano-dollar").isEqualTo(cost);
        } else if (held < whole) {
            assertThat(spend).as("spend of the whole answers but those lost unreplicated").isLessThan(cost);
        } else {
            assertThat(spend).as("spend of the whole answers, the cut ones besides").isGreaterThan(cost);
        }
        LOG.info("{}: {} answered, {} whole answers and {} streams served and in the ledger (${}), {} refused 503, {}"
                        + " failed to connect or cut", team, outcomes.size(), whole, streams, cost / Limits.NANOS_PER_USD,
                outcomes.stream().filter(o -> o.status() == 503).count(),
                outcomes.stream().filter(o -> o.status() == -1).count());
    }

    public static long requests(TestGateway admin, String team, String keyId) {
        return usage(admin, team, keyId).getLong("requests");
    }

    public static JsonObject usage(TestGateway admin, String team, String keyId) {
        HttpResponse<String> response = admin.get("/admin/usage?team=" + team + (keyId == null ? "" : "&key=" + keyId));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }
}
