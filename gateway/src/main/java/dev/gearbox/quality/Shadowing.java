package dev.gearbox.quality;

import dev.gearbox.config.ModelConfig;
import dev.gearbox.config.QualityConfig;
import dev.gearbox.cost.CostEstimator;
import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.Exchange;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.exchange.Pipeline;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.routing.AllowedModels;
import dev.gearbox.routing.CacheMode;
import dev.gearbox.routing.Catalog;
import dev.gearbox.routing.RequestFeatures;
import dev.gearbox.routing.RouteDecision;
import dev.gearbox.routing.RoutingTable;
import dev.gearbox.routing.TierChoice;
import dev.gearbox.time.Scheduler;
import dev.gearbox.wire.ChatRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's shadow runner. For a sampled request whose answer was sent, it asks the cheapest model of
 * the other tier that the caller may use the same request, then the judge to compare the two answers, with
 * the positions drawn at random (and asked again swapped when configured), and logs the verdict. The calls go
 * through their own pipeline (pricing and upstream only): no admission, so nothing counts against the caller's
 * key or team, and breakers of their own, so a shadow's failures never open one for clients. Each shadow
 * first holds its estimate of the day's shadow budget, shared by replicas, and settles it with what was spent.
 */
public final class Shadowing {

    private static final Logger LOG = LoggerFactory.getLogger(Shadowing.class);
    /** Shadows at once per event loop; more are skipped, so a burst of sampled traffic cannot pile calls up. */
    static final int MAX_IN_FLIGHT = 16;
    /** The judge's prompt, in tokens, on top of the request and the answers it quotes. */
    private static final int JUDGE_PROMPT_TOKENS = 400;
    private static final String ROUTE = "shadow";

    private final Quality quality;
    private final Pipeline calls;
    private final Scheduler scheduler;
    private final AtomicInteger inFlight = new AtomicInteger();

    private Shadowing(Quality quality, Pipeline calls, Scheduler scheduler) {
        this.quality = quality;
        this.calls = calls;
        this.scheduler = scheduler;
    }

    /** @param calls the pipeline the shadow and judge calls go through: pricing, then upstream */
    public static Shadowing of(Quality quality, Pipeline calls, Scheduler scheduler) {
        return new Shadowing(quality, calls, scheduler);
    }

    /**
     * Shadows a request whose whole answer ({@code answer}, its message) was sent.
     *
     * @param text whether the route keeps text, and so the other tier's answer with the verdict
     */
    void start(Exchange original, RequestRecord record, JsonObject answer, boolean text) {
        QualityEvents events = quality.events();
        String other = QualityLabel.CHEAP.equals(record.tier()) ? QualityLabel.REASONING
                : QualityLabel.REASONING.equals(record.tier()) ? QualityLabel.CHEAP : null;
        if (other == null) {
            events.skipped(QualityEvents.Skip.NOT_COMPARABLE);
            return;
        }
        RoutingTable table = quality.rules().current();
        Catalog catalog = table.catalog();
        RequestFeatures features = original.features();
        AllowedModels allowed = original.budget().models();
        QualityConfig.ShadowConfig config = quality.config().shadow();
        Optional<ModelConfig> shadow = TierChoice.cheapest(catalog, features, allowed, other);
        ModelConfig judge = catalog.model(config.judgeModel()).filter(catalog::available).orElse(null);
        if (shadow.isEmpty() || judge == null) {
            events.skipped(shadow.isEmpty() && TierChoice.exists(catalog, features, other) ? QualityEvents.Skip.NOT_ALLOWED
                    : QualityEvents.Skip.NO_MODEL);
            return;
        }
        if (!TierChoice.allowed(catalog, allowed, judge)) {
            events.skipped(QualityEvents.Skip.NOT_ALLOWED);
            return;
        }
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            events.skipped(QualityEvents.Skip.BUSY);
            return;
        }
        JsonObject body = Quality.unstreamed(original.request().body()).put("model", shadow.get().id());
        if (QualityLabel.CHEAP.equals(other)) {
            // What made the request go to the reasoning tier; a cheap model may refuse it.
            body.remove("reasoning_effort");
        }
        String answerText = Judge.answer(answer);
        double estimate = estimate(features, shadow.get(), judge, answerText, config.swapPositions());
        LocalDate today = quality.today();
        Run run = new Run(original, record, answerText, text, table, shadow.get(), judge);
        quality.store().reserve(today, estimate, config.dailyBudgetUsd(), quality.spendEnd(today))
                .compose(budget -> {
                    events.budget(budget.spentUsd(), config.dailyBudgetUsd());
                    if (!budget.held()) {
                        events.skipped(QualityEvents.Skip.BUDGET);
                        return Future.succeededFuture();
                    }
                    return run.shadow(body).eventually(() -> settle(today, record.route(), estimate, run.spent));
                })
                .onFailure(e -> LOG.debug("shadow of request {} failed: {}", record.requestId(), e.toString()))
                .onComplete(ar -> inFlight.decrementAndGet());
    }

    private Future<Void> settle(LocalDate today, String route, double held, double spent) {
        quality.events().shadowSpent(route, spent);
        return quality.store().spend(today, route, held, spent, quality.spendEnd(today));
    }

    /** What a shadow and its judgements may cost: the request on the other tier, and the judge reading both answers. */
    private static double estimate(RequestFeatures features, ModelConfig shadow, ModelConfig judge, String answer,
                                   boolean swap) {
        int prompt = features.approxPromptTokens();
        double call = CostEstimator.estimate(shadow, prompt, features.maxTokens());
        long answers = answer.length() / 3 + CostEstimator.expectedCompletionTokens(shadow, features.maxTokens());
        int judged = (int) Math.min(Integer.MAX_VALUE, prompt + answers + JUDGE_PROMPT_TOKENS);
        return call + CostEstimator.estimate(judge, judged, null) * (swap ? 2 : 1);
    }

    /** One shadow: its calls, what they cost, and the verdict they give. */
    private final class Run {
        private final Exchange original;
        private final RequestRecord record;
        private final String answer;
        private final boolean text;
        private final RoutingTable table;
        private final ModelConfig shadow;
        private final ModelConfig judge;
        private double spent;

        Run(Exchange original, RequestRecord record, String answer, boolean text, RoutingTable table, ModelConfig shadow,
            ModelConfig judge) {
            this.original = original;
            this.record = record;
            this.answer = answer;
            this.text = text;
            this.table = table;
            this.shadow = shadow;
            this.judge = judge;
        }

        Future<Void> shadow(JsonObject body) {
            return call(body, shadow, "-shadow").transform(ar -> {
                if (ar.failed()) {
                    quality.events().skipped(QualityEvents.Skip.FAILED);
                    return Future.failedFuture(ar.cause());
                }
                return judge(Judge.answer(ar.result()));
            });
        }

        /** Asks the judge (twice, swapped, when configured) and logs the verdict. */
        private Future<Void> judge(String other) {
            boolean cheapFirst = quality.sampler().coin();
            boolean answeredCheap = QualityLabel.CHEAP.equals(record.tier());
            String cheap = answeredCheap ? answer : other;
            String reasoning = answeredCheap ? other : answer;
            JsonObject request = Quality.unstreamed(original.request().body());
            Future<Comparison> first = judged(request, cheap, reasoning, cheapFirst, "-judge");
            Future<Comparison> verdict = !quality.config().shadow().swapPositions() ? first
                    : Future.join(first, judged(request, cheap, reasoning, !cheapFirst, "-judge-swapped"))
                            .map(both -> Comparison.combine(both.resultAt(0), both.resultAt(1)));
            return verdict.transform(ar -> {
                if (ar.failed()) {
                    quality.events().skipped(ar.cause() instanceof IllegalArgumentException
                            ? QualityEvents.Skip.UNREADABLE : QualityEvents.Skip.FAILED);
                    return Future.failedFuture(ar.cause());
                }
                QualityLabel.Judged label = new QualityLabel.Judged(record, quality.clock().instant(), ar.result(),
                        shadow.id(), judge.id(), Judge.PROMPT_VERSION, text ? other : null);
                LocalDate day = quality.day(record.at());
                return quality.store().keep(label, day, quality.retentionEnd(day))
                        .onSuccess(v -> quality.events().verdict(record.route(), record.tier(), ar.result()));
            });
        }

        /** One judgement, with the cheap answer in position A or B. */
        private Future<Comparison> judged(JsonObject request, String cheap, String reasoning, boolean cheapFirst,
                                          String suffix) {
            JsonObject body = Judge.request(judge.id(), request, cheapFirst ? cheap : reasoning, cheapFirst ? reasoning : cheap);
            return call(body, judge, suffix).map(message -> {
                Judge.Winner winner = Judge.read(new JsonObject().put("choices", new JsonArray()
                        .add(new JsonObject().put("message", message))));
                return switch (winner) {
                    case TIE -> Comparison.TIE;
                    case A -> cheapFirst ? Comparison.CHEAP_BETTER : Comparison.REASONING_BETTER;
                    case B -> cheapFirst ? Comparison.REASONING_BETTER : Comparison.CHEAP_BETTER;
                };
            });
        }

        /** A call through the shadow pipeline; answers the message and adds what it cost to {@link #spent}. */
        private Future<JsonObject> call(JsonObject body, ModelConfig model, String suffix) {
            Exchange call = Exchange.begin(record.requestId() + suffix, "POST", "/v1/chat/completions", null,
                    scheduler.nanoTime(), ExchangeListener.NONE);
            try {
                call.request(ChatRequest.parse(body.toBuffer()));
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
            call.routed(new RouteDecision(ROUTE, model, List.of(), 0, null, CacheMode.OFF, null, table.version()), null);
            return calls.apply(call).map((Answer answer) -> {
                if (call.cost() != null) {
                    spent += call.cost().usd();
                }
                if (!(answer instanceof WholeAnswer whole) || !(whole.json().getValue("choices") instanceof JsonArray choices)
                        || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject c)
                        || !(c.getValue("message") instanceof JsonObject message)) {
                    throw new IllegalStateException(model.id() + " gave no message");
                }
                return message;
            });
        }
    }
}
