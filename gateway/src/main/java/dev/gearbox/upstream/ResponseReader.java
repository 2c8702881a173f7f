package dev.gearbox.upstream;

import dev.gearbox.cost.Usage;
import dev.gearbox.cost.UsageEstimator;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.providers.NotAnAnswer;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.time.Scheduler;
import dev.gearbox.work.Offload;
import io.vertx.core.buffer.Buffer;
import java.util.function.IntSupplier;

/**
 * Reads one attempt's response through its translator into where it leads: a failure, a whole answer with
 * its usage, or a stream to relay. What to do then is the {@link Attempts}' business.
 */
final class ResponseReader {

    /** Where a response leads; each call may come after the attempt was given up, so each is checked. */
    interface Outcome {
        void failed(Failure failure);

        void whole(WholeAnswer answer, Usage usage);

        /** The listener of the relay that is about to start. */
        StreamRelay.Listener streaming();

        /** The relay has started; {@code relay} is to be stopped if the attempt is given up. */
        void relaying(StreamRelay relay);

        /** A whole body is being read; the attempt watches it for stalls and stops it if given up. */
        void reading(BodyReader body);
    }

    private final FailureClassifier classifier;
    private final Scheduler scheduler;
    private final Offload offload;

    ResponseReader(FailureClassifier classifier, Scheduler scheduler, Offload offload) {
        this.classifier = classifier;
        this.scheduler = scheduler;
        this.offload = offload;
    }

    /**
     * @param stream whether the client asked for a stream
     * @param promptTokens the prompt's tokens, for answers whose usage upstream did not report
     */
    void read(UpstreamResponse response, Translator translator, String provider, boolean stream, boolean clientWantsUsage,
              long idleTimeoutMs, IntSupplier promptTokens, Outcome outcome) {
        int status = response.status();
        if (status < 200 || status > 299) {
            String retryAfter = response.headers().get("retry-after");
            BodyReader reader = BodyReader.start(scheduler, response.stream(), provider);
            outcome.reading(reader);
            reader.body().onComplete(body -> outcome.failed(body.succeeded()
                    ? classifier.status(provider, status, retryAfter, translator.error(status, body.result()))
                    : classifier.unreadableStatus(status, retryAfter, body.cause())));
            return;
        }
        if (stream) {
            String type = response.headers().get("content-type");
            String expected = translator.streamContentType();
            if (type == null || !type.regionMatches(true, 0, expected, 0, expected.length())) {
                response.body();
                outcome.failed(classifier.protocol(provider, "wrong_content_type",
                        "answered a stream with " + response.headers().get("content-type")));
                return;
            }
            StreamRelay relay = new StreamRelay(scheduler, response.stream(), translator, classifier.redaction(),
                    clientWantsUsage, idleTimeoutMs, promptTokens, outcome.streaming());
            outcome.relaying(relay);
            relay.start();
            return;
        }
        String type = response.headers().get("content-type");
        BodyReader reader = BodyReader.start(scheduler, response.stream(), provider);
        outcome.reading(reader);
        reader.body().onComplete(body -> {
            if (body.failed()) {
                outcome.failed(classifier.noResponse(body.cause()));
                return;
            }
            Buffer bytes = body.result();
            // Checking a 20 MiB answer is work in proportion to it: off the loop when it is large.
            offload.forSize(bytes.length(), () -> translator.answer(bytes, type))
                    .onComplete(read -> {
                        if (read.succeeded()) {
                            TranslatedAnswer translated = read.result();
                            WholeAnswer answer = WholeAnswer.of(translated.body(), translated.contentType());
                            // Back on the loop: the prompt's tokens are the exchange's, counted there.
                            outcome.whole(answer, translated.usage() != null ? translated.usage()
                                    : estimate(answer, promptTokens.getAsInt()));
                        } else if (read.cause() instanceof NotAnAnswer e) {
                            outcome.failed(classifier.protocol(provider, e.code(), e.getMessage()));
                        } else {
                            outcome.failed(classifier.protocol(provider, "malformed",
                                    "answered with a body that is not a JSON object"));
                        }
                    });
        });
    }

    private static Usage estimate(WholeAnswer answer, int promptTokens) {
        StringBuilder text = new StringBuilder();
        UsageEstimator.appendGeneratedText(answer.json(), text);
        return UsageEstimator.estimate(promptTokens, text.toString());
    }
}
