package dev.gearbox.testing;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.gearbox.server.Gearbox;
import dev.gearbox.config.ConfigLoader;
import dev.gearbox.config.GearboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** A gateway started on a free loopback port for one test class, with clients pointed at it. */
public final class TestGateway implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Gearbox gearbox;

    private TestGateway(Gearbox gearbox) {
        this.gearbox = gearbox;
    }

    /** Starts a gateway from config YAML; {@code ${VAR}} references resolve from {@code env}. */
    public static TestGateway start(String yaml, Map<String, String> env) {
        return start(yaml, env, Clock.systemUTC());
    }

    /** Starts a gateway whose time-based behaviour (breakers, dates) follows the given clock. */
    public static TestGateway start(String yaml, Map<String, String> env, Clock clock) {
        GearboxConfig config = ConfigLoader.of(env).parse(yaml, "test config");
        return new TestGateway(Gearbox.start(config, clock).await());
    }

    /** Starts a gateway whose quality sampling draws from {@code sampling}, so which requests are shadowed is repeatable. */
    public static TestGateway start(String yaml, Map<String, String> env, java.util.random.RandomGenerator sampling) {
        GearboxConfig config = ConfigLoader.of(env).parse(yaml, "test config");
        return new TestGateway(Gearbox.start(config, Clock.systemUTC(), sampling).await());
    }

    public static TestGateway start(String yaml) {
        return start(yaml, Map.of());
    }

    /** Starts the embedded default (simulated models) on a free port. */
    public static TestGateway embeddedDefault() {
        GearboxConfig config = ConfigLoader.of(Map.of()).embeddedDefault().withPort(0);
        return new TestGateway(Gearbox.start(config, Clock.systemUTC()).await());
    }

    /**
     * A config with the simulated provider and the built-in rules, its models made instant so tests run
     * fast; {@code serverExtra} adds server settings.
     */
    public static String simulatedConfig(String serverExtra) {
        return """
                server:
                  host: 127.0.0.1
                  port: 0
                  event_loops: 2
                %s
                providers:
                  sim: {type: simulated}
                models:
                %s
                default_embedding_model: sim-embed
                """.formatted(serverExtra.indent(2), INSTANT_SIM_MODELS.indent(2));
    }

    /** The simulated models of the built-in catalog, with their tiers and prices, but answering at once. */
    public static final String INSTANT_SIM_MODELS = """
            - id: sim-cheap
              provider: sim
              tier: cheap
              price: {input: 0.15, cached_input: 0.075, output: 0.60}
              capabilities: [tools, json_mode, vision]
              expected_output_tokens: 60
            - id: sim-reasoning
              provider: sim
              tier: reasoning
              price: {input: 4.50, cached_input: 2.25, output: 18.00}
              capabilities: [tools, json_mode, vision, reasoning]
              expected_output_tokens: 120
              expected_reasoning_tokens: 240
              simulation: {reasoning: true, answer_tokens: 120}
            - {id: sim-embed, provider: sim, kind: embeddings}
            """;

    public int port() {
        return gearbox.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** An official OpenAI SDK client pointed at the gateway. */
    public OpenAIClient sdk() {
        return sdk("unused");
    }

    public OpenAIClient sdk(String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl(baseUrl() + "/v1").apiKey(apiKey).maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(20)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Closes every gateway that was started; the nulls of a start that failed halfway are skipped. */
    public static void closeAll(TestGateway... gateways) {
        for (TestGateway gateway : gateways) {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    public static HttpClient http() {
        return HTTP;
    }

    public Gearbox gearbox() {
        return gearbox;
    }

    @Override
    public void close() {
        gearbox.close();
    }
}
