package dev.gearbox.upstream;

import dev.gearbox.cost.Usage;
import dev.gearbox.cost.UsageEstimator;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.providers.NotAnAnswer;
import dev.gearbox.providers.TranslatedAnswer;
import dev.gearbox.providers.Translator;
import dev.gearbox.providers.UpstreamResponse;
import dev.gearbox.time.Scheduler;
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
    }

    private final FailureClassifier classifier;
    private final Scheduler scheduler;

    ResponseReader(FailureClassifier classifier, Scheduler scheduler) {
        this.classifier = classifier;
        this.scheduler = scheduler;
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
            response.body().onComplete(body -> outcome.failed(body.succeeded()
                    ? classifier.status(provider, status, retryAfter, translator.error(status, body.result()))
                    : classifier.unreadableStatus(status, retryAfter, body.cause())));
            return;
        }
        if (stream) {
            if (!response.isEventStream()) {
                response.body();
                outcome.failed(classifier.protocol(provider, "wrong_content_type",
                        "answered a stream with " + response.headers().get("content-type")));
                return;
            }
            StreamRelay relay = new StreamRelay(scheduler, response.stream(), translator, clientWantsUsage, idleTimeoutMs,
                    promptTokens, outcome.streaming());
            outcome.relaying(relay);
            relay.start();
            return;
        }
        String type = response.headers().get("content-type");
        response.body().onComplete(body -> {
            if (body.failed()) {
                outcome.failed(classifier.noResponse(body.cause()));
                return;
            }
            WholeAnswer answer;
            Usage usage;
            try {
                TranslatedAnswer translated = translator.answer(body.result(), type);
                answer = WholeAnswer.of(translated.body(), translated.contentType());
                usage = translated.usage() != null ? translated.usage() : estimate(answer, promptTokens.getAsInt());
            } catch (NotAnAnswer e) {
                outcome.failed(classifier.protocol(provider, e.code(), e.getMessage()));
                return;
            } catch (RuntimeException e) {
                outcome.failed(classifier.protocol(provider, "malformed", "answered with a body that is not a JSON object"));
                return;
            }
            outcome.whole(answer, usage);
        });
    }

    private static Usage estimate(WholeAnswer answer, int promptTokens) {
        StringBuilder text = new StringBuilder();
        UsageEstimator.appendGeneratedText(answer.json(), text);
        return UsageEstimator.estimate(promptTokens, text.toString());
    }
}
