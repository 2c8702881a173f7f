package dev.gearbox.quality;

import dev.gearbox.exchange.Answer;
import dev.gearbox.exchange.AnswerStream;
import dev.gearbox.exchange.StreamEnd;
import dev.gearbox.exchange.StreamObserver;
import dev.gearbox.exchange.WholeAnswer;
import dev.gearbox.wire.CompletionAssembler;
import dev.gearbox.wire.SseEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The answer a sampled request got, as the client got it: a whole answer as it is, a stream assembled as it
 * passes, complete only once it ended cleanly. Kept on the exchange until its response has ended, when the
 * shadow starts. Confined to the request's event loop.
 */
final class Sample {

    private final Shadowing shadowing;
    private final WholeAnswer whole;
    private final CompletionAssembler assembled;
    private boolean ended;

    private Sample(Shadowing shadowing, WholeAnswer whole, CompletionAssembler assembled) {
        this.shadowing = shadowing;
        this.whole = whole;
        this.assembled = assembled;
    }

    /** @param shadowing what shadows the request once it is over; null when only its text is kept */
    static Sample of(Answer answer, Shadowing shadowing) {
        if (answer instanceof WholeAnswer w) {
            return new Sample(shadowing, w, null);
        }
        Sample sample = new Sample(shadowing, null, new CompletionAssembler());
        ((AnswerStream) answer).observe(new StreamObserver() {
            @Override
            public void event(SseEvent data) {
                sample.assembled.add(data.toBuffer());
            }

            @Override
            public void end(StreamEnd end) {
                sample.ended = end.complete();
            }
        });
        return sample;
    }

    /** The shadow to start, or null when the request was not sampled. */
    Shadowing shadowing() {
        return shadowing;
    }

    /** The answer's message, or null when there is none to compare (a cut stream, an answer without a choice). */
    JsonObject message() {
        JsonObject completion;
        if (whole != null) {
            try {
                completion = whole.json();
            } catch (RuntimeException notJson) {
                return null;
            }
        } else {
            completion = ended ? assembled.completion() : null;
        }
        return completion != null && completion.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
                && choices.getValue(0) instanceof JsonObject c && c.getValue("message") instanceof JsonObject m ? m : null;
    }
}
