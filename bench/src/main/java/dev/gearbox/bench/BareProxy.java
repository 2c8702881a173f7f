package dev.gearbox.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The floor of the stack Gearbox is built on: a Vert.x HTTP server that reads the body whole and sends it
 * through a pooled HTTP client to one upstream, on one event loop with epoll, and nothing else. The load
 * script runs it beside Gearbox so that every run shows what Gearbox's own work costs.
 *
 * <p>{@code java -cp benchmarks.jar dev.gearbox.bench.BareProxy PORT UPSTREAM_PORT}
 */
public final class BareProxy {

    private BareProxy() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        HttpClient client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true))
                .with(new PoolOptions().setHttp1MaxSize(10_000)).build();
        RequestOptions upstream = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(upstreamPort);
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true)).requestHandler(req -> req.body()
                .compose(body -> client.request(new RequestOptions(upstream).setURI(req.uri())
                                .putHeader(HttpHeaders.CONTENT_TYPE, req.getHeader(HttpHeaders.CONTENT_TYPE)))
                        .compose(out -> out.send(body)))
                .onSuccess(res -> {
                    var response = req.response().setStatusCode(res.statusCode());
                    String type = res.getHeader(HttpHeaders.CONTENT_TYPE);
                    if (type != null) {
                        response.putHeader(HttpHeaders.CONTENT_TYPE, type);
                    }
                    String length = res.getHeader(HttpHeaders.CONTENT_LENGTH);
                    if (length != null) {
                        response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
                    } else {
                        response.setChunked(true);
                    }
                    // Streams relay chunk by chunk, with the upstream paused while the client is slow.
                    res.pipeTo(response);
                })
                .onFailure(e -> req.response().setStatusCode(502).end()))
                .listen(port, "127.0.0.1").await();
        System.out.println("bare Vert.x proxy on 127.0.0.1:" + port + " to 127.0.0.1:" + upstreamPort);
    }
}
