package dev.gearbox.wire;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * The upstream body of a scanned chat request: the client's own bytes with only what the gateway changes
 * spliced in (the upstream {@code model}, {@code stream_options.include_usage} on a stream, the routed
 * {@code reasoning_effort}, the output limit it sets), each replacing its value where the client wrote it or
 * put first in the object; every other byte is the client's. Null when a key the gateway changes is written
 * twice, whose last value a splice could not tell: that body is encoded from its tree instead.
 */
final class ChatSplice {

    private static final String[] CHANGED = {"model", "stream_options", "reasoning_effort", "max_tokens", "max_completion_tokens"};

    private final ScannedChat chat;
    private final StringBuilder insert = new StringBuilder();
    /** Per edit: start, end, and the index of its text in {@link #texts}. */
    private int[] edits = new int[12];
    private String[] texts = new String[4];
    private int count;

    private ChatSplice(ScannedChat chat) {
        this.chat = chat;
    }

    /**
     * @param effort the reasoning effort to send in place of the client's, or null
     * @param addedLimit the output limit the gateway set, or 0
     */
    static Buffer of(ScannedChat chat, String upstreamModel, boolean stream, boolean clientWantsUsage, String effort,
                     int addedLimit) {
        for (String field : CHANGED) {
            if (chat.occurrences(field) > 1) {
                return null;
            }
        }
        ChatSplice splice = new ChatSplice(chat);
        if (stream && !clientWantsUsage) {
            int at = chat.field("stream_options");
            if (at < 0) {
                splice.insert.append("\"stream_options\":{\"include_usage\":true},");
            } else {
                JsonObject options = chat.value("stream_options") instanceof JsonObject o ? o.copy() : new JsonObject();
                splice.replace(at, options.put("include_usage", true).encode());
            }
        }
        splice.set("model", quoted(upstreamModel));
        if (effort != null) {
            splice.set("reasoning_effort", quoted(effort));
        }
        if (addedLimit > 0) {
            splice.set("max_tokens", Integer.toString(addedLimit));
            int at = chat.field("max_completion_tokens");
            if (at >= 0) {
                // A limit sent as null would be read as none; the tree this replaces dropped it too.
                splice.remove(at);
            }
        }
        return splice.bytes();
    }

    /** A JSON string of {@code text}, escaped as JSON requires, without the generator a tree's encoder makes per call. */
    static String quoted(String text) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }

    /** The field's value replaced where it is, or the field put first. */
    private void set(String field, String json) {
        int at = chat.field(field);
        if (at < 0) {
            insert.append('"').append(field).append("\":").append(json).append(',');
        } else {
            replace(at, json);
        }
    }

    private void replace(int at, String json) {
        edit(chat.valueStart(at), chat.valueEnd(at), json);
    }

    /** The whole member, with the comma that joins it to the next one or, when last, to the one before. */
    private void remove(int at) {
        byte[] b = chat.bytes();
        int start = chat.memberStart(at);
        int end = skipSpace(b, chat.valueEnd(at));
        if (b[end] == ',') {
            end = skipSpace(b, end + 1);
        } else {
            int before = start - 1;
            while (b[before] == ' ' || b[before] == '\n' || b[before] == '\r' || b[before] == '\t') {
                before--;
            }
            if (b[before] == ',') {
                start = before;
            }
        }
        edit(start, end, "");
    }

    private static int skipSpace(byte[] b, int i) {
        while (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
            i++;
        }
        return i;
    }

    private void edit(int start, int end, String text) {
        if (count * 3 == edits.length) {
            edits = Arrays.copyOf(edits, edits.length * 2);
            texts = Arrays.copyOf(texts, texts.length * 2);
        }
        edits[count * 3] = start;
        edits[count * 3 + 1] = end;
        edits[count * 3 + 2] = count;
        texts[count] = text;
        count++;
    }

    private Buffer bytes() {
        byte[] b = chat.bytes();
        int end = chat.offset() + chat.length();
        // In the order they lie (at most five, so an insertion sort); they never overlap, each being of another member.
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            int k = i;
            while (k > 0 && edits[order[k - 1] * 3] > edits[i * 3]) {
                order[k] = order[k - 1];
                k--;
            }
            order[k] = i;
        }
        int at = chat.objectStart() + 1;
        Buffer out = Buffer.buffer(chat.length() + insert.length() + 64);
        out.appendBytes(b, chat.offset(), at - chat.offset());
        if (insert.length() > 0) {
            out.appendString(insert.toString());
        }
        for (int i : order) {
            int start = edits[i * 3];
            out.appendBytes(b, at, start - at).appendString(texts[edits[i * 3 + 2]]);
            at = edits[i * 3 + 1];
        }
        return out.appendBytes(b, at, end - at);
    }
}
