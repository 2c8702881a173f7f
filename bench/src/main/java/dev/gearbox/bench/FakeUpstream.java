package dev.gearbox.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * A fast fake OpenAI upstream on loopback for load tests: a fixed {@code chat.completion} with a usage
 * block, or a fixed SSE stream when the body asks for one, each chunk flushed on its own.
 *
 * <p>{@code java -cp benchmarks.jar dev.gearbox.bench.FakeUpstream PORT [DELAY_MS] [CHUNK_GAP_MS]}, or
 * {@code --print-completion} to print the fixed completion and exit.
 */
public final class FakeUpstream {

    static final Buffer COMPLETION = Buffer.buffer("""
            {"id":"chatcmpl-bench","object":"chat.completion","created":1741570283,"model":"bench-model",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"The capital of France is Paris.","refusal":null},\
            "logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":14,"completion_tokens":8,"total_tokens":22,\
            "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},\
            "system_fingerprint":"fp_bench"}""");
    static final List<Buffer> CHUNKS = chunks();

    private FakeUpstream() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && "--print-completion".equals(args[0])) {
            // For the load script's nginx fake upstream, which answers with the same body.
            System.out.print(COMPLETION);
            return;
        }
        int port = Integer.parseInt(args[0]);
        long delay = args.length > 1 ? Long.parseLong(args[1]) : 0;
        long gap = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true)).requestHandler(req -> req.body().onSuccess(body -> {
            boolean stream = body.toString().contains("\"stream\":true");
            HttpServerResponse res = req.response();
            Runnable answer = stream ? () -> stream(vertx, res, 0, gap)
                    : () -> res.putHeader("content-type", "application/json").end(COMPLETION);
            if (delay > 0) {
                vertx.setTimer(delay, t -> answer.run());
            } else {
                answer.run();
            }
        })).listen(port, "127.0.0.1").await();
        LoggerFactory.getLogger(FakeUpstream.class).info("fake upstream on 127.0.0.1:{}", port);
    }

    private static void stream(Vertx vertx, HttpServerResponse res, int i, long gap) {
        if (i == 0) {
            res.setChunked(true).putHeader("content-type", "text/event-stream");
        }
        if (i == CHUNKS.size()) {
            res.end();
            return;
        }
        res.write(CHUNKS.get(i));
        if (gap > 0) {
            vertx.setTimer(gap, t -> stream(vertx, res, i + 1, gap));
        } else {
            stream(vertx, res, i + 1, 0);
        }
    }

    private static List<Buffer> chunks() {
        List<Buffer> out = new ArrayList<>();
        String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1741570284,"
                + "\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":";
        out.add(Buffer.buffer(head + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n"));
        for (String piece : new String[] {"The", " capital", " of", " France", " is", " Paris", "."}) {
            out.add(Buffer.buffer(head + "{\"content\":\"" + piece + "\"},\"finish_reason\":null}],\"usage\":null}\n\n"));
        }
        out.add(Buffer.buffer(head + "{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"));
        out.add(Buffer.buffer("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1741570284,"
                + "\"model\":\"bench-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":8,"
                + "\"total_tokens\":22}}\n\n"));
        out.add(Buffer.buffer("data: [DONE]\n\n"));
        return out;
    }
}
