package dev.gearbox.routing;

import dev.gearbox.routing.difficulty.Conversation;
import dev.gearbox.routing.difficulty.DifficultyModel;
import dev.gearbox.routing.difficulty.MessageText;
import dev.gearbox.tokens.TokenCounter;
import dev.gearbox.wire.ChatView;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What routing rules may look at in a chat request, read from the parsed body without changing it.
 *
 * <p>Values are computed on first use and kept, so a feature no rule asks about costs nothing and one
 * many rules ask about is computed once. Every accessor copes with any JSON: a field of the wrong type
 * reads as absent. Confined to one request; not thread-safe.
 */
public final class RequestFeatures {

    /** Text longer than this is counted on a sample and scaled, so one huge prompt cannot stall the event loop. */
    static final int EXACT_COUNT_CHARS = 32_768;
    /** Rules match text within this many characters of the start. */
    static final int MATCH_CHARS = 32_768;

    private final ChatView body;
    private final MultiMap headers;
    private final String tenant;
    private final String apiKey;
    private final TokenCounter tokens;
    private int promptTokens = -1;
    private java.util.Map<String, String> headerCache;
    private long promptChars = -1;
    private String lastUserMessage;
    private String systemPrompt;
    private String lastUserMessageFolded;
    private String systemPromptFolded;
    private int images = -1;
    private double difficulty = Double.NaN;
    private boolean explaining;
    /** The text of each message, read once whichever features ask for it. */
    private String[] texts;
    /** Replayed from a snapshot that kept neither the text nor the headers. */
    private boolean withheld;
    /** A rule read what the snapshot withheld, so this replay's decision is a guess. */
    private boolean readWithheld;

    private RequestFeatures(ChatView body, MultiMap headers, String tenant, String apiKey, TokenCounter tokens) {
        this.body = body;
        this.headers = headers == null ? MultiMap.caseInsensitiveMultiMap() : headers;
        this.tenant = tenant;
        this.apiKey = apiKey;
        this.tokens = tokens;
    }

    /**
     * @param body the request body as parsed
     * @param headers request headers
     * @param tenant the tenant of the caller's key
     * @param apiKey the name of the caller's key (its environment variable), never the key itself
     */
    public static RequestFeatures of(JsonObject body, MultiMap headers, String tenant, String apiKey, TokenCounter tokens) {
        return new RequestFeatures(ChatView.of(body), headers, tenant, apiKey, tokens);
    }

    /** The same over a request's view, which reads the client's bytes without building a tree. */
    public static RequestFeatures of(ChatView body, MultiMap headers, String tenant, String apiKey, TokenCounter tokens) {
        return new RequestFeatures(body, headers, tenant, apiKey, tokens);
    }

    /** The model or alias the client named, or null. */
    public String model() {
        return string(body.value("model"));
    }

    public String tenant() {
        return tenant;
    }

    public String apiKey() {
        return apiKey;
    }

    /** A request header; each name is looked up once per request, however many routes test it. */
    public String header(String name) {
        if (headerCache == null) {
            headerCache = new java.util.HashMap<>(4);
            readWithheld |= withheld;
        }
        String value = headerCache.get(name);
        if (value == null && !headerCache.containsKey(name)) {
            value = headers.get(name);
            headerCache.put(name, value);
        }
        return value;
    }

    public String user() {
        return string(body.value("user"));
    }

    /** A metadata value as text, or null. */
    public String metadata(String key) {
        if (body.value("metadata") instanceof JsonObject metadata) {
            Object value = metadata.getValue(key);
            return value == null ? null : String.valueOf(value);
        }
        return null;
    }

    public boolean stream() {
        return Boolean.TRUE.equals(body.value("stream"));
    }

    /** The completion limit the client set ({@code max_completion_tokens} or {@code max_tokens}), or null. */
    public Integer maxTokens() {
        Object limit = body.value("max_completion_tokens");
        if (!(limit instanceof Number)) {
            limit = body.value("max_tokens");
        }
        return limit instanceof Number n && n.longValue() > 0 ? (int) Math.min(Integer.MAX_VALUE, n.longValue()) : null;
    }

    public String reasoningEffort() {
        return string(body.value("reasoning_effort"));
    }

    public boolean hasTools() {
        return body.nonEmptyArray("tools");
    }

    public boolean hasResponseFormat() {
        return body.kind("response_format") == ChatView.Kind.OBJECT && body.value("response_format") instanceof JsonObject format
                && !"text".equals(format.getValue("type"));
    }

    public boolean hasImages() {
        if (images < 0) {
            images = 0;
            for (int i = 0; i < body.messageCount(); i++) {
                if (body.contentKind(i) == ChatView.Kind.ARRAY && body.content(i) instanceof JsonArray parts) {
                    for (Object part : parts) {
                        if (part instanceof JsonObject p && "image_url".equals(p.getValue("type"))) {
                            images++;
                        }
                    }
                }
            }
        }
        return images > 0;
    }

    public int messageCount() {
        return body.messageCount();
    }

    /**
     * Prompt tokens, no fewer than the real count: every token holds at least one UTF-8 byte, and a
     * character takes at most three. Costs no tokenizer, so a rule like {@code prompt_tokens > 12000} can
     * dismiss an ordinary prompt at once.
     */
    public long promptTokensUpperBound() {
        return 3L * promptChars() + 4L * messageCount() + 3
                + (body.kind("tools") == ChatView.Kind.ARRAY && body.value("tools") instanceof JsonArray t ? 3L * t.encode().length() : 0);
    }

    /** A quick estimate of prompt tokens, about four characters each; the exact count once it is known. */
    public int approxPromptTokens() {
        return promptTokens >= 0 ? promptTokens : (int) Math.min(Integer.MAX_VALUE, promptChars() / 4 + 4L * messageCount() + 3);
    }

    private long promptChars() {
        if (promptChars < 0) {
            long chars = 0;
            for (int i = 0; i < body.messageCount(); i++) {
                chars += text(i).length();
            }
            promptChars = chars;
        }
        return promptChars;
    }

    /** Estimated prompt tokens, counted with the tokenizer. */
    public int promptTokens() {
        if (promptTokens < 0) {
            promptTokens = countPromptTokens();
        }
        return promptTokens;
    }

    /** The text of the last user message, or empty. */
    public String lastUserMessage() {
        if (lastUserMessage == null) {
            lastUserMessage = "";
            readWithheld |= withheld;
            for (int i = body.messageCount() - 1; i >= 0; i--) {
                if (body.isMessage(i) && "user".equals(body.role(i))) {
                    lastUserMessage = text(i);
                    break;
                }
            }
        }
        return lastUserMessage;
    }

    /** The last user message {@link Matchers#fold folded}, within the characters rules match; computed once. */
    public String lastUserMessageFolded() {
        if (lastUserMessageFolded == null) {
            lastUserMessageFolded = Matchers.fold(lastUserMessage());
        }
        return lastUserMessageFolded;
    }

    /** The system prompt {@link Matchers#fold folded}, within the characters rules match; computed once. */
    public String systemPromptFolded() {
        if (systemPromptFolded == null) {
            systemPromptFolded = Matchers.fold(systemPrompt());
        }
        return systemPromptFolded;
    }

    /** The difficulty score of the conversation in [0, 1], computed once per request however many routes ask. */
    public double difficulty(DifficultyModel model) {
        if (Double.isNaN(difficulty)) {
            difficulty = model.score(conversation());
        }
        return difficulty;
    }

    /** What the difficulty score reads of this request. */
    public Conversation conversation() {
        return new Conversation(lastUserMessage(), messageCount(), hasTools(), systemPrompt().length());
    }

    /** Marks the request as one {@code /admin/routes/explain} looks at, which must leave no trace in the rules' state. */
    void explaining() {
        explaining = true;
    }

    /** Whether {@code /admin/routes/explain} is looking at this request rather than routing it. */
    boolean isExplaining() {
        return explaining;
    }

    /** The difficulty score if a route has asked for it, else NaN. */
    public double difficultyIfScored() {
        return difficulty;
    }

    /** The body as read, over the client's bytes or a tree; read only. */
    ChatView body() {
        return body;
    }

    /** The exact prompt token count if routing has counted it, else -1. */
    int promptTokensIfCounted() {
        return promptTokens;
    }

    /** Images in the messages, counted once. */
    int images() {
        hasImages();
        return images;
    }

    /**
     * Features replayed from what a {@link RequestSnapshot} kept: {@code body} holds the fields rules read from
     * the body, with as many empty messages as the request had; the counts and the score are those recorded.
     *
     * @param lastUserMessage the kept text, or null when the snapshot kept none (then neither is there a system prompt)
     */
    static RequestFeatures replayed(JsonObject body, String tenant, String apiKey, TokenCounter tokens, int promptTokens,
                                    int images, double difficulty, String lastUserMessage, String systemPrompt) {
        RequestFeatures features = of(body, MultiMap.caseInsensitiveMultiMap(), tenant, apiKey, tokens);
        features.promptTokens = promptTokens;
        // Three bytes a token at most: the cheap bound stays above the count, which is all it promises.
        features.promptChars = promptTokens;
        features.images = images;
        features.difficulty = difficulty;
        if (lastUserMessage == null) {
            features.withheld = true;
        } else {
            features.lastUserMessage = lastUserMessage;
            features.systemPrompt = systemPrompt == null ? "" : systemPrompt;
        }
        return features;
    }

    /**
     * Whether a rule read the text or a header of a request replayed from a snapshot that kept neither, so
     * the decision was made on empty text (or an unknown score) and is a guess.
     */
    public boolean readWithheld() {
        return readWithheld;
    }

    /** The text of the system (or developer) messages, or empty. */
    public String systemPrompt() {
        if (systemPrompt == null) {
            readWithheld |= withheld;
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < body.messageCount(); i++) {
                Object role = body.isMessage(i) ? body.role(i) : null;
                if ("system".equals(role) || "developer".equals(role)) {
                    out.append(text(i));
                }
            }
            systemPrompt = out.toString();
        }
        return systemPrompt;
    }

    /** The text of message {@code i} as {@link MessageText} reads it (the trainer reads the same), decoded once. */
    private String text(int i) {
        if (texts == null) {
            texts = new String[body.messageCount()];
        }
        if (texts[i] == null) {
            texts[i] = body.isMessage(i) ? MessageText.of(body.content(i)) : "";
        }
        return texts[i];
    }

    private int countPromptTokens() {
        long chars = promptChars();
        if (chars <= EXACT_COUNT_CHARS) {
            // The exact count reads every message as the tokenizer does: the one feature that builds the tree.
            JsonArray messages = body.tree().getValue("messages") instanceof JsonArray found ? found : new JsonArray();
            int total = tokens.countMessages(messages);
            return body.value("tools") instanceof JsonArray tools ? total + tokens.count(tools.encode()) : total;
        }
        // Count a sample of each long text and scale by length: within a few percent on natural text.
        String sample = sampleText();
        double perChar = sample.isEmpty() ? 0.25 : (double) tokens.count(sample) / sample.length();
        return (int) Math.min(Integer.MAX_VALUE, Math.round(chars * perChar) + 4L * body.messageCount());
    }

    private String sampleText() {
        StringBuilder sample = new StringBuilder();
        for (int i = 0; i < body.messageCount() && sample.length() < EXACT_COUNT_CHARS; i++) {
            String text = text(i);
            sample.append(text, 0, Math.min(text.length(), EXACT_COUNT_CHARS - sample.length()));
        }
        return sample.toString();
    }

    private static String string(Object value) {
        return value instanceof String s ? s : null;
    }
}
