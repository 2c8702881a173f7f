package dev.gearbox.providers.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearbox.providers.OutgoingRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The signature checked against AWS's published Signature Version 4 examples: the worked examples of Amazon S3's
 * API reference ("Signature Calculations for the Authorization Header", examples GET Object, GET Bucket
 * Lifecycle and GET Bucket (List Objects)): their example credentials, region {@code us-east-1}, time
 * 2013-05-24T00:00:00Z, host {@code examplebucket.s3.amazonaws.com}, and each example's published signature.
 * They are the published vectors that carry {@code x-amz-content-sha256}, which the SDK's signer always signs
 * (the older aws-sig-v4-test-suite vectors have no such header, so no signer that adds it can reproduce them).
 */
class SigV4AuthenticationTest {

    private static final Clock EXAMPLE_TIME = Clock.fixed(Instant.parse("2013-05-24T00:00:00Z"), ZoneOffset.UTC);
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final SigV4Authentication S3_EXAMPLE = new SigV4Authentication(null, EXAMPLE_TIME,
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", SECRET)), "s3", "us-east-1");

    private static Map<String, List<String>> sign(SigV4Authentication signer, String path, String query, MultiMap headers) {
        return signer.sign(new OutgoingRequest(HttpMethod.GET, "https", "examplebucket.s3.amazonaws.com", 443, path, query,
                headers, Buffer.buffer()));
    }

    private static String authorization(Map<String, List<String>> headers) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("authorization"))
                .findFirst().orElseThrow().getValue().get(0);
    }

    @Test
    void signsTheGetObjectExampleWithItsPublishedSignature() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Range", "bytes=0-9");

        assertThat(authorization(sign(S3_EXAMPLE, "/test.txt", null, headers))).isEqualTo(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "GET Bucket Lifecycle, lifecycle, fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
            "GET Bucket (List Objects) with its query sorted, max-keys=2&prefix=J, 34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
    })
    void signsTheQueryExamplesWithTheirPublishedSignatures(String example, String query, String signature) {
        assertThat(authorization(sign(S3_EXAMPLE, "/", query, MultiMap.caseInsensitiveMultiMap()))).isEqualTo(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + signature);
    }

    @Test
    void sendsASessionTokenWithTemporaryCredentialsAndSignsForBedrock() {
        SigV4Authentication temporary = new SigV4Authentication(null, EXAMPLE_TIME, StaticCredentialsProvider.create(
                AwsSessionCredentials.create("AKIAIOSFODNN7EXAMPLE", SECRET, "session-token-value")), "bedrock", "us-east-1");

        Map<String, List<String>> headers = sign(temporary, "/model/x/converse", null, MultiMap.caseInsensitiveMultiMap());

        assertThat(headers.entrySet()).anySatisfy(e -> {
            assertThat(e.getKey()).isEqualToIgnoringCase("x-amz-security-token");
            assertThat(e.getValue()).containsExactly("session-token-value");
        });
        assertThat(authorization(headers)).contains("/20130524/us-east-1/bedrock/aws4_request").contains("x-amz-security-token");
    }
}
