package dev.gearbox.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every quality store promises, run against each (in process, Redis). */
abstract class QualityStoreContract {

    /** The store under test; the same one for every test of a class, so each test keeps to its own days and ids. */
    abstract QualityStore store();

    /** Now, by the store's clock. */
    abstract Instant now();

    @Test
    void findsARequestForItsTenantOnlyAndOnlyWithinItsWindow() {
        RequestRecord record = record("req-window", "team-a", "default", "cheap");
        store().remember(record, now().plus(Duration.ofHours(1))).await();
        store().remember(record("req-closed", "team-a", "default", "cheap"), now().minusSeconds(1)).await();

        assertThat(store().request("team-a", "req-window").await()).contains(record);
        assertThat(store().request("team-b", "req-window").await()).isEmpty();
        assertThat(store().request("team-a", "req-unknown").await()).isEmpty();
        assertThat(store().request("team-a", "req-closed").await()).isEmpty();
    }

    @Test
    void keepsTheTextOfARequestOnlyWhenItIsGiven() {
        RequestRecord.Text text = new RequestRecord.Text(new JsonArray().add(new JsonObject().put("role", "user")
                .put("content", "prove it")), "done");
        RequestRecord record = new RequestRecord("req-text", "team-a", "default", "cheap", "sim-cheap", 0.2, "f1.x",
                Instant.parse("2030-01-01T10:00:00Z"), text);
        store().remember(record, now().plus(Duration.ofHours(1))).await();

        assertThat(store().request("team-a", "req-text").await().orElseThrow().text()).isEqualTo(text);
    }

    @Test
    void talliesVerdictsAndFeedbackPerRouteAndTierAndFeedbackGivenAgainReplacesItsScore() {
        LocalDate day = LocalDate.of(2030, 1, 2);
        Instant until = now().plus(Duration.ofDays(30));
        store().keep(judged("v1", "route-a", "cheap", Comparison.TIE), day, until).await();
        store().keep(judged("v2", "route-a", "cheap", Comparison.REASONING_BETTER), day, until).await();
        store().keep(judged("v3", "route-a", "reasoning", Comparison.CHEAP_BETTER), day, until).await();
        store().keep(judged("v3", "route-a", "reasoning", Comparison.CHEAP_BETTER), day, until).await();
        store().keep(scored("f1", "route-a", "cheap", 0.2), day, until).await();
        store().keep(scored("f1", "route-a", "cheap", 0.9), day, until).await();
        store().keep(scored("f2", "route-b", "reasoning", 0.5), day.plusDays(1), until).await();

        List<QualityTally.RouteReport> routes = store().tally(List.of(day, day.plusDays(1))).await().routes();

        assertThat(routes).extracting(QualityTally.RouteReport::route).containsExactly("route-a", "route-b");
        QualityTally.RouteReport a = routes.get(0);
        assertThat(List.of(a.cheapBetter(), a.tie(), a.reasoningBetter())).containsExactly(1L, 1L, 1L);
        assertThat(a.feedbackCount()).isEqualTo(1);
        assertThat(a.feedbackMean()).isCloseTo(0.9, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(a.judgedCheap()).isEqualTo(2);
        assertThat(a.retained()).isEqualTo(0.5);
        assertThat(routes.get(1).feedbackCount()).isEqualTo(1);
        assertThat(store().tally(List.of(day.plusDays(1))).await().routes()).extracting(QualityTally.RouteReport::route)
                .containsExactly("route-b");
    }

    @Test
    void givesEveryLabelOfADayOnceAcrossPages() {
        LocalDate day = LocalDate.of(2030, 1, 5);
        Instant until = now().plus(Duration.ofDays(30));
        for (int i = 0; i < 450; i++) {
            store().keep(judged("page-" + i, "default", "cheap", Comparison.TIE), day, until).await();
        }
        store().keep(scored("page-0", "default", "cheap", 1), day, until).await();

        List<QualityLabel> all = new ArrayList<>();
        String cursor = null;
        do {
            QualityStore.Page page = store().labels(day, cursor).await();
            all.addAll(page.labels());
            cursor = page.next();
        } while (cursor != null);

        assertThat(all).hasSize(451);
        assertThat(all).filteredOn(l -> l instanceof QualityLabel.Judged).extracting(l -> l.request().requestId())
                .doesNotHaveDuplicates().hasSize(450);
        assertThat(all).filteredOn(l -> l instanceof QualityLabel.Scored).singleElement()
                .satisfies(l -> assertThat(l).isEqualTo(scored("page-0", "default", "cheap", 1)));
    }

    @Test
    void forgetsADayOnceItsRetentionIsOver() {
        LocalDate day = LocalDate.of(2030, 1, 8);
        store().keep(judged("old", "default", "cheap", Comparison.TIE), day, now().minusSeconds(1)).await();

        assertThat(store().tally(List.of(day)).await().routes()).isEmpty();
        assertThat(store().labels(day, null).await().labels()).isEmpty();
    }

    @Test
    void holdsShadowSpendWithinTheDailyBudgetAndSettlesItToWhatWasSpent() {
        LocalDate day = LocalDate.of(2030, 1, 11);
        Instant until = now().plus(Duration.ofDays(3));

        assertThat(store().reserve(day, 0.6, 1.0, until).await()).isEqualTo(new QualityStore.Budget(true, 0.6));
        assertThat(store().reserve(day, 0.6, 1.0, until).await()).isEqualTo(new QualityStore.Budget(false, 0.6));
        store().spend(day, "route-a", 0.6, 0.25, until).await();
        assertThat(store().reserve(day, 0.6, 1.0, until).await().held()).isTrue();

        List<QualityTally.RouteReport> routes = store().tally(List.of(day)).await().routes();
        assertThat(routes).singleElement().satisfies(r -> assertThat(r.shadowSpendUsd()).isEqualTo(0.25));
    }

    static RequestRecord record(String id, String tenant, String route, String tier) {
        return new RequestRecord(id, tenant, route, tier, tier.equals("cheap") ? "sim-cheap" : "sim-reasoning", 0.3,
                "f1.features-of-" + id, Instant.parse("2030-01-01T10:00:00Z"), null);
    }

    static QualityLabel.Judged judged(String id, String route, String tier, Comparison comparison) {
        return new QualityLabel.Judged(record(id, "team-a", route, tier), Instant.parse("2030-01-01T10:00:01Z"), comparison,
                "sim-other", "sim-judge", "v1", null);
    }

    static QualityLabel.Scored scored(String id, String route, String tier, double score) {
        return new QualityLabel.Scored(record(id, "team-a", route, tier), Instant.parse("2030-01-01T11:00:00Z"), score, null);
    }
}
