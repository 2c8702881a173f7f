package dev.gearbox.server;

import dev.gearbox.admin.AdminAuthHandler;
import dev.gearbox.admin.CacheAdminHandler;
import dev.gearbox.admin.QualityAdminHandler;
import dev.gearbox.admin.RoutesAdminHandler;
import dev.gearbox.admin.AccountsAdminHandler;
import dev.gearbox.admission.Accounts;
import dev.gearbox.admission.AdmissionStage;
import dev.gearbox.admission.ApiKeys;
import dev.gearbox.admission.ReservationStage;
import dev.gearbox.cache.CacheStage;
import dev.gearbox.cache.ResponseCache;
import dev.gearbox.config.GearboxConfig;
import dev.gearbox.console.Console;
import dev.gearbox.console.ConsoleRoutes;
import dev.gearbox.conversation.ConversationStage;
import dev.gearbox.conversation.ResponseStore;
import dev.gearbox.exchange.ExchangeListener;
import dev.gearbox.exchange.Pipeline;
import dev.gearbox.exchange.Stage;
import dev.gearbox.http.ApiKeyAuthHandler;
import dev.gearbox.http.CountTokensHandler;
import dev.gearbox.http.ErrorFormat;
import dev.gearbox.http.BodyTimeoutHandler;
import dev.gearbox.http.InvalidRequestHandler;
import dev.gearbox.http.ExchangeHandler;
import dev.gearbox.http.ExchangeStart;
import dev.gearbox.http.FailureHandler;
import dev.gearbox.http.FeedbackHandler;
import dev.gearbox.http.HeadTimeout;
import dev.gearbox.http.InFlight;
import dev.gearbox.http.MetricsHandler;
import dev.gearbox.http.ModelsHandler;
import dev.gearbox.http.StoredResponsesHandler;
import dev.gearbox.http.InboundRoutes;
import dev.gearbox.inbound.anthropic.MessagesApi;
import dev.gearbox.inbound.anthropic.MessagesTokenCount;
import dev.gearbox.inbound.completions.CompletionsApi;
import dev.gearbox.inbound.openai.OpenAiApi;
import dev.gearbox.inbound.responses.ResponsesApi;
import dev.gearbox.pricing.PricingStage;
import dev.gearbox.quality.Feedback;
import dev.gearbox.quality.Quality;
import dev.gearbox.quality.ShadowStage;
import dev.gearbox.quality.Shadowing;
import dev.gearbox.providers.Providers;
import dev.gearbox.resilience.Deployments;
import dev.gearbox.routing.LatencyStats;
import dev.gearbox.routing.Router;
import dev.gearbox.routing.RoutingRules;
import dev.gearbox.routing.stage.RoutingStage;
import dev.gearbox.state.Store;
import dev.gearbox.time.Scheduler;
import dev.gearbox.time.VertxScheduler;
import dev.gearbox.tokens.TokenCounter;
import dev.gearbox.upstream.FailureClassifier;
import dev.gearbox.upstream.RetryRule;
import dev.gearbox.upstream.UpstreamErrors;
import dev.gearbox.upstream.UpstreamStage;
import dev.gearbox.work.Offload;
import dev.gearbox.work.VertxOffload;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's HTTP server. It only wires: the pipeline of stages, the inbound APIs over it, the
 * listeners, and the HTTP routes. One instance runs per event loop, each with its own providers and HTTP
 * clients, so a request never leaves the loop it arrived on.
 */
final class GatewayVerticle extends VerticleBase {

    private final GearboxConfig config;
    private final Clock clock;
    private final Shared shared;
    private final int port;
    private volatile HttpServer server;

    /**
     * What every event loop's server shares.
     *
     * @param listener hears every exchange: metrics, access log, latency statistics
     * @param console the operator's console, or null when it is off
     * @param quality shadow judging and feedback; null without a quality section
     * @param shadowDeployments the breakers and bulkheads of shadow calls; null without a quality section
     */
    record Shared(Readiness readiness, RoutingRules rules, LatencyStats latency, Deployments deployments,
                  PrometheusMeterRegistry meters, ExchangeListener listener, ResponseCache cache, InFlight inFlight,
                  ResponseStore responses, ApiKeys keys, Accounts accounts, Store store, ProviderFactory providers,
                  Quality quality, Deployments shadowDeployments, Console console) {
    }

    GatewayVerticle(GearboxConfig config, Clock clock, Shared shared, int port) {
        this.config = config;
        this.clock = clock;
        this.shared = shared;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        Scheduler scheduler = VertxScheduler.of(vertx);
        Offload offload = VertxOffload.of(vertx);
        SplittableRandom random = new SplittableRandom();
        RoutingRules rules = shared.rules();
        Router router = new Router(shared.latency(), random.split());
        Providers providers = shared.providers().onLoop();
        ApiKeys keys = shared.keys();

        AdmissionStage admission = AdmissionStage.of(keys, "Authorization", rules);
        RoutingStage routing = RoutingStage.of(rules, router, TokenCounter.shared(), config.server().logPrompts());
        FailureClassifier classifier = FailureClassifier.of(new UpstreamErrors(config.secrets()), clock);
        PricingStage pricing = PricingStage.of(rules, config.cost().baselineModel());
        List<Stage> stages = new ArrayList<>(List.of(
                admission,
                ConversationStage.of(shared.responses(), config.state().redis() != null
                        && config.state().redis().onUnavailable() == dev.gearbox.config.RedisConfig.OnUnavailable.FAIL_OPEN),
                routing,
                // Reserved after the conversation and routing, so on what goes upstream and who may answer it.
                ReservationStage.of(shared.store(), clock, config.state(), rules, router),
                pricing));
        if (shared.quality() != null) {
            // Shadow and judge calls: priced, then upstream, with breakers of their own; nothing admits or reserves them.
            Pipeline shadowCalls = Pipeline.of(pricing, UpstreamStage.of(providers, shared.shadowDeployments(), classifier,
                    RetryRule.of(random.split()), scheduler, offload));
            stages.add(ShadowStage.of(shared.quality(), Shadowing.of(shared.quality(), shadowCalls, scheduler)));
        }
        stages.add(CacheStage.of(shared.cache(), scheduler, model -> shared.deployments().of(model).policy().totalTimeoutMs(),
                offload));
        stages.add(UpstreamStage.of(providers, shared.deployments(), classifier, RetryRule.of(random.split()), scheduler, offload));
        Pipeline pipeline = Pipeline.of(stages.toArray(Stage[]::new));

        FailureHandler failures = new FailureHandler(config.server().maxBodyBytes());
        ModelsHandler models = new ModelsHandler(rules, clock.instant().getEpochSecond());
        HealthHandler health = new HealthHandler(shared.readiness(),
                () -> shared.deployments().anyServable(rules.current().catalog()), shared.store()::available,
                config.state().redis() == null ? null : config.state().redis().onUnavailable());
        RoutesAdminHandler routes = new RoutesAdminHandler(rules, router, keys,
                admission.withCredentialHeader(RoutesAdminHandler.EXPLAIN_KEY_HEADER), routing);
        CacheAdminHandler cacheAdmin = new CacheAdminHandler(shared.cache());
        AccountsAdminHandler accounts = AccountsAdminHandler.of(shared.accounts(), keys, shared.store(), clock,
                config.state().zoneId());
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.server().maxBodyBytes());
        BodyTimeoutHandler bodyTimeout = BodyTimeoutHandler.create(scheduler, config.server().bodyTimeoutMs());

        io.vertx.ext.web.Router web = io.vertx.ext.web.Router.router(vertx);
        HeadTimeout heads = HeadTimeout.create(scheduler, config.server().headTimeoutMs());
        ExchangeStart start = ExchangeStart.of(shared.listener(), shared.inFlight(), scheduler, heads);
        MessagesApi messages = MessagesApi.create();
        ResponsesApi responses = ResponsesApi.create();
        InboundRoutes inbound = InboundRoutes.builder(start, keys, pipeline, offload, scheduler,
                        config.server().maxBodyBytes(), config.server().bodyTimeoutMs())
                .post("/v1/chat/completions", OpenAiApi.chatCompletions())
                .post("/v1/embeddings", OpenAiApi.embeddings())
                .post("/v1/messages", messages, "anthropic-beta")
                .post("/v1/moderations", OpenAiApi.moderations())
                .post("/v1/completions", CompletionsApi.create())
                .post("/v1/responses", responses)
                .build(web);
        web.route().handler(ExchangeHandler.create(start));
        web.get("/metrics").handler(new MetricsHandler(shared.meters()));
        web.get("/health/live").handler(health::live);
        web.get("/health/ready").handler(health::ready);
        // Keys are checked before a body is read, so a caller without one cannot make the gateway buffer 8 MiB;
        // the admission stage checks them again for everything that goes through the pipeline (and explain).
        web.route("/v1/messages*").handler(ErrorFormat.of(messages));
        web.route("/v1/responses*").handler(ErrorFormat.of(responses));
        web.route("/v1/*").handler(ApiKeyAuthHandler.create(keys));
        for (String path : inbound.paths()) {
            // The inbound routes serve POST on these paths; what reaches the router here is another method
            // (405), or a POST spelled in a way the router decodes further, such as %-escapes (404).
            web.route(path).handler(rc -> rc.fail(rc.request().method() == io.vertx.core.http.HttpMethod.POST ? 404 : 405));
        }
        web.post("/v1/messages/count_tokens").handler(bodyTimeout).handler(body)
                .handler(CountTokensHandler.create(MessagesTokenCount.of(TokenCounter.shared())::count, messages, offload));
        web.post("/v1/feedback").handler(bodyTimeout).handler(body)
                .handler(FeedbackHandler.create(Feedback.of(shared.quality()), admission)::handle);
        StoredResponsesHandler stored = StoredResponsesHandler.create(shared.responses(), admission);
        web.get("/v1/responses/:id").handler(stored::get);
        web.delete("/v1/responses/:id").handler(stored::delete);
        web.get("/v1/models").handler(models::list);
        web.getWithRegex("/v1/models/(?<id>.+)").handler(models::get);
        web.route("/admin/*").handler(new AdminAuthHandler(config.server().adminToken()));
        web.get("/admin/routes").handler(routes::show);
        web.post("/admin/routes/explain").handler(bodyTimeout).handler(body).handler(routes::explain);
        web.post("/admin/routes/reload").handler(routes::reload);
        web.get("/admin/cache").handler(cacheAdmin::show);
        web.delete("/admin/cache").handler(cacheAdmin::clear);
        web.post("/admin/keys").handler(bodyTimeout).handler(body).handler(accounts::createKey);
        web.get("/admin/keys").handler(accounts::listKeys);
        web.patch("/admin/keys/:id").handler(bodyTimeout).handler(body).handler(accounts::patchKey);
        web.delete("/admin/keys/:id").handler(accounts::revokeKey);
        web.post("/admin/teams").handler(bodyTimeout).handler(body).handler(accounts::createTeam);
        web.get("/admin/teams").handler(accounts::listTeams);
        web.patch("/admin/teams/:id").handler(bodyTimeout).handler(body).handler(accounts::patchTeam);
        web.delete("/admin/teams/:id").handler(accounts::deleteTeam);
        web.get("/admin/usage").handler(accounts::usage);
        QualityAdminHandler quality = QualityAdminHandler.of(shared.quality());
        web.get("/admin/quality").handler(quality::show);
        web.get("/admin/quality/labels").handler(quality::labels);
        if (shared.console() != null) {
            ConsoleRoutes.mount(vertx, web, shared.console(), new ConsoleRoutes.Parts(routes, accounts, rules,
                    shared.deployments(), shared.latency(), body, bodyTimeout, config.server().host(), port));
        }
        web.route().failureHandler(failures);
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            web.errorHandler(status, failures);
        }

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.server().host())
                .setPort(port)
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                // No WebSockets here: without these the codec's extension handler inspects every response write.
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                // HTTP/1.1 only: SDKs speak it to a plain-HTTP gateway, TLS and HTTP/2 end at the ingress, and
                // an h2c stream does not survive a graceful shutdown.
                .setHttp2ClearTextEnabled(false);
        server = vertx.createHttpServer(options).requestHandler(inbound).invalidRequestHandler(InvalidRequestHandler.create())
                .connectionHandler(heads.connections());
        return server.listen();
    }

    /**
     * Stops accepting connections; requests and streams in flight go on. Safe from any thread. Connections
     * are kept past the drain time by the grace in which {@link Drain} interrupts what is left, so an
     * interrupted stream's error event is written before its connection closes.
     */
    void stopAccepting() {
        context.runOnContext(v -> {
            if (server != null) {
                server.shutdown(config.server().drainTimeoutMs() + Drain.INTERRUPT_GRACE_MS, TimeUnit.MILLISECONDS);
            }
        });
    }
}
