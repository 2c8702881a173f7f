package dev.gearbox.providers.bedrock;

import dev.gearbox.providers.Authentication;
import dev.gearbox.providers.OutgoingRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * AWS Signature Version 4 over the final request (method, URL, headers and body), by the AWS SDK's own signer,
 * with credentials from the given provider (the config's keys, or the SDK's default chain: environment,
 * profile, container and instance roles). Resolving credentials may call out and signing hashes the body, so
 * both run on a worker thread; the headers it adds are put on the request back on its event loop. The
 * signing time is the gateway's clock.
 */
final class SigV4Authentication implements Authentication {

    /** What the signature adds to a request; the rest of what the signer saw is the request's own. */
    private static final Set<String> SIGNATURE_HEADERS = Set.of("authorization", "x-amz-date", "x-amz-security-token",
            "x-amz-content-sha256");

    private final Vertx vertx;
    private final Clock clock;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final String service;
    private final String region;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    SigV4Authentication(Vertx vertx, Clock clock, IdentityProvider<? extends AwsCredentialsIdentity> credentials,
                        String service, String region) {
        this.vertx = vertx;
        this.clock = clock;
        this.credentials = credentials;
        this.service = service;
        this.region = region;
    }

    @Override
    public boolean seesRequest() {
        return true;
    }

    @Override
    public Future<Void> apply(OutgoingRequest request) {
        Context context = Vertx.currentContext();
        Future<Map<String, List<String>>> signed = vertx.executeBlocking(() -> sign(request), false);
        if (context == null) {
            return signed.map(headers -> put(headers, request));
        }
        Promise<Void> done = Promise.promise();
        signed.onComplete(result -> context.runOnContext(v -> {
            if (result.succeeded()) {
                done.complete(put(result.result(), request));
            } else {
                done.fail(result.cause());
            }
        }));
        return done.future();
    }

    private static Void put(Map<String, List<String>> headers, OutgoingRequest request) {
        headers.forEach((name, values) -> {
            if (SIGNATURE_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                request.headers().set(name, values);
            }
        });
        return null;
    }

    /** The signed request's headers; blocks while credentials resolve. */
    Map<String, List<String>> sign(OutgoingRequest request) {
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        SdkHttpRequest.Builder http = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method().name()))
                .uri(URI.create(request.scheme() + "://" + request.host() + (request.defaultPort() ? "" : ":" + request.port())
                        + request.path() + (request.query() == null ? "" : "?" + request.query())));
        for (Map.Entry<String, String> header : request.headers()) {
            http.appendHeader(header.getKey(), header.getValue());
        }
        byte[] body = request.body().getBytes();
        SignedRequest signed = signer.sign(r -> r.identity(identity)
                .request(http.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        return signed.request().headers();
    }
}
