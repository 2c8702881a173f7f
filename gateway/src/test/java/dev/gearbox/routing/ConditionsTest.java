package dev.gearbox.routing;

import static dev.gearbox.routing.RoutingFixtures.chat;
import static dev.gearbox.routing.RoutingFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gearbox.config.ModelConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final ConditionCompiler compiler = new ConditionCompiler(dev.gearbox.routing.difficulty.DifficultyModel.shipped(), Map.of("o1",
            ModelConfig.of("o1", "p")));

    @Test
    void modelMatchesTheRequestedNameAndCountsAsMentioningIt() {
        Condition c = compile("{model: [reasoning, o1]}");

        assertThat(c.test(request(chat("o1", "hi")))).isTrue();
        assertThat(c.test(request(chat("auto", "hi")))).isFalse();
        assertThat(c.mentionsModel()).isTrue();
        assertThat(compile("{tenant: a}").mentionsModel()).isFalse();
        assertThat(compile("{not: {model: x}}").mentionsModel()).isTrue();
    }

    @Test
    void tenantApiKeyUserAndHeaders() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Team", "search");
        RequestFeatures r = request(chat("auto", "hi").put("user", "u-42"), headers, "team-a");

        assertThat(compile("{tenant: team-a}").test(r)).isTrue();
        assertThat(compile("{tenant: [team-b, team-c]}").test(r)).isFalse();
        assertThat(compile("{api_key: TEAM_A_KEY}").test(r)).isTrue();
        assertThat(compile("{user: {regex: '^u-\\d+$'}}").test(r)).isTrue();
        assertThat(compile("{header: {x-team: search}}").test(r)).isTrue();
        assertThat(compile("{header: {X-Other: {present: true}}}").test(r)).isFalse();
        assertThat(compile("{header: {X-Other: {present: false}}}").test(r)).isTrue();
    }

    @Test
    void metadataValues() {
        RequestFeatures r = request(chat("auto", "hi").put("metadata", new JsonObject().put("feature", "summarise")));

        assertThat(compile("{metadata: {feature: summarise}}").test(r)).isTrue();
        assertThat(compile("{metadata: {feature: [chat, code]}}").test(r)).isFalse();
    }

    @Test
    void numbersCompareWithBounds() {
        RequestFeatures r = request(chat("auto", "one two three").put("max_completion_tokens", 2000));

        assertThat(compile("{prompt_tokens: {gt: 5}}").test(r)).isTrue();
        assertThat(compile("{prompt_tokens: {gt: 5, lte: 6}}").test(r)).isFalse();
        assertThat(compile("{max_tokens: {gte: 2000}}").test(r)).isTrue();
        assertThat(compile("{max_tokens: {gte: 2000}}").test(request(chat("auto", "x")))).isFalse();
        assertThat(compile("{messages: {lt: 2}}").test(r)).isTrue();
        assertThat(compile("{prompt_tokens: {gt: 50}}").whyNot(request(chat("a", "")))).contains("prompt_tokens is 7, not > 50");
    }

    @Test
    void flagsForToolsFormatsImagesAndStreams() {
        JsonObject body = chat("auto", "hi")
                .put("tools", new JsonArray().add(new JsonObject().put("type", "function")))
                .put("response_format", new JsonObject().put("type", "json_object"))
                .put("stream", true);
        body.getJsonArray("messages").add(new JsonObject().put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:")))));
        RequestFeatures r = request(body);

        assertThat(compile("{has_tools: true, has_response_format: true, has_images: true, stream: true}").test(r)).isTrue();
        assertThat(compile("{has_tools: false}").test(request(chat("auto", "hi")))).isTrue();
        assertThat(compile("{has_response_format: true}").test(request(chat("auto", "hi")
                .put("response_format", new JsonObject().put("type", "text"))))).isFalse();
    }

    @Test
    void reasoningEffort() {
        assertThat(compile("{reasoning_effort: high}").test(request(chat("auto", "x").put("reasoning_effort", "high")))).isTrue();
        assertThat(compile("{reasoning_effort: {present: true}}").test(request(chat("auto", "x")))).isFalse();
    }

    @Test
    void keywordsMatchWholeWordsIgnoringCase() {
        Condition c = compile("{last_user_message: {keywords: [prove, stack trace, c++]}}");

        assertThat(c.test(request(chat("a", "Please PROVE this")))).isTrue();
        assertThat(c.test(request(chat("a", "here is my Stack Trace:")))).isTrue();
        assertThat(c.test(request(chat("a", "I like c++ a lot")))).isTrue();
        assertThat(c.test(request(chat("a", "an improved approach")))).isFalse();
        assertThat(compile("{last_user_message: {keywords: [Prove], case_sensitive: true}}")
                .test(request(chat("a", "prove it")))).isFalse();
    }

    @Test
    void regexAndSystemPromptAndLastUserMessageOnly() {
        JsonObject body = chat("a", "first question about integrals");
        body.getJsonArray("messages").add(0, new JsonObject().put("role", "system").put("content", "You are a code reviewer."));
        body.getJsonArray("messages").add(new JsonObject().put("role", "assistant").put("content", "ok"));
        body.getJsonArray("messages").add(new JsonObject().put("role", "user").put("content", "what is 12 * 7?"));

        assertThat(compile("{last_user_message: {regex: '\\d+\\s*\\*\\s*\\d+'}}").test(request(body))).isTrue();
        assertThat(compile("{last_user_message: {keywords: [integrals]}}").test(request(body))).isFalse();
        assertThat(compile("{system_prompt: {keywords: [code reviewer]}}").test(request(body))).isTrue();
    }

    @Test
    void keywordsMatchWhateverCaseTheTextIsIn() {
        Condition c = compile("{last_user_message: {keywords: [Kirmizi elma]}}");

        assertThat(c.test(request(chat("a", "bir KIRMIZI ELMA lütfen")))).isTrue();
        assertThat(c.test(request(chat("a", "bir kırmızı elma lütfen")))).isTrue();
        assertThat(c.test(request(chat("a", "kırmızıca elma")))).isFalse();
    }

    @Test
    void aRegexIsSkippedOnlyWhenItsLeadingLiteralCannotBeInTheText() {
        assertThat(Matchers.TextMatch.requiredLiterals("order number \\d{8}")).containsExactly("order number ");
        assertThat(Matchers.TextMatch.requiredLiterals("^colou?r")).containsExactly("colo");
        assertThat(Matchers.TextMatch.requiredLiterals("invoice|receipt \\d+")).containsExactly("invoice", "receipt ");
        assertThat(Matchers.TextMatch.requiredLiterals("(refund|return) #?\\d{6}")).containsExactly("refund", "return");
        assertThat(Matchers.TextMatch.requiredLiterals("(?:refund|return)? \\d+")).isNull();
        assertThat(Matchers.TextMatch.requiredLiterals("(refund|) \\d+")).isNull();
        assertThat(Matchers.TextMatch.requiredLiterals("invoice|\\w+")).isNull();
        assertThat(Matchers.TextMatch.requiredLiterals("[|]abc|defg")).isNull();
        assertThat(Matchers.TextMatch.requiredLiterals("\\d+ apples|\\\\frac")).containsExactly("\\d", "\\frac");
        assertThat(Matchers.TextMatch.requiredLiterals("\\w+ apples")).isNull();
        assertThat(Matchers.TextMatch.requiredLiterals("(?i)order")).isNull();

        // The prefilter folds case as the regex does: a dotless ı is an i to a case-insensitive regex.
        assertThat(compile("{last_user_message: {regex: 'kirmizi elma'}}").test(request(chat("a", "KIRMIZI elma")))).isTrue();
        assertThat(compile("{last_user_message: {regex: 'kirmizi elma'}}").test(request(chat("a", "kırmızı elma")))).isTrue();

        Condition c = compile("{last_user_message: {regex: 'Order Number \\d{8}'}}");
        assertThat(c.test(request(chat("a", "where is ORDER NUMBER 12345678?")))).isTrue();
        assertThat(c.test(request(chat("a", "where is my order 12345678?")))).isFalse();
        Condition exact = compile("{last_user_message: {regex: 'Order Number \\d{8}', case_sensitive: true}}");
        assertThat(exact.test(request(chat("a", "where is ORDER NUMBER 12345678?")))).isFalse();
        assertThat(exact.test(request(chat("a", "where is Order Number 12345678?")))).isTrue();
    }

    @Test
    void estimatedCostOnANamedModel() {
        // 1000 output tokens at $60/M = $0.06, plus a few prompt tokens at $15/M.
        ModelConfig o1 = new ModelConfig("o1", "p", null, null, "reasoning",
                new dev.gearbox.config.Pricing(15.0, null, 60.0, null), null, null, null, null, null, null);
        Condition c = new ConditionCompiler(dev.gearbox.routing.difficulty.DifficultyModel.shipped(), Map.of("o1", o1)).compile(yaml("{estimated_cost_usd: {on: o1, gt: 0.05}}"), "when");

        assertThat(c.test(request(chat("a", "hi").put("max_tokens", 1000)))).isTrue();
        assertThat(c.test(request(chat("a", "hi").put("max_tokens", 100)))).isFalse();
    }

    @Test
    void combinatorsCombine() {
        RequestFeatures r = request(chat("auto", "prove it"));

        assertThat(compile("{all: [{model: auto}, {last_user_message: {keywords: [prove]}}]}").test(r)).isTrue();
        assertThat(compile("{any: [{model: x}, {model: auto}]}").test(r)).isTrue();
        assertThat(compile("{not: {model: auto}}").test(r)).isFalse();
        assertThat(compile("{model: auto, tenant: nobody}").test(r)).isFalse();
        assertThat(compile("{any: [{model: x}, {model: y}]}").whyNot(r)).startsWith("none of: model is 'auto'");
    }

    @Test
    void namesThePathOfEachMistake() {
        assertError("{prompt_tokens: 5}", "when.prompt_tokens", "expected bounds");
        assertError("{prompt_tokens: {above: 5}}", "when.prompt_tokens.above", "unknown bound");
        assertError("{colour: red}", "when.colour", "unknown condition 'colour'");
        assertError("{any: []}", "when.any", "non-empty list");
        assertError("{any: [{model: a}, {has_tools: maybe}]}", "when.any[1].has_tools", "expected: true or false");
        assertError("{last_user_message: {regex: '(unclosed'}}", "when.last_user_message.regex", "invalid regular expression");
        assertError("{estimated_cost_usd: {on: gpt-9, gt: 1}}", "when.estimated_cost_usd.on", "unknown model 'gpt-9'");
        assertError("{model: {regex: 1}}", "when.model", "expected a value");
    }

    private void assertError(String when, String path, String message) {
        assertThatThrownBy(() -> compile(when)).isInstanceOfSatisfying(RuleException.class, e -> {
            assertThat(e.path()).isEqualTo(path);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private Condition compile(String when) {
        return compiler.compile(yaml(when), "when");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String text) {
        try {
            return YAML.readValue(text, LinkedHashMap.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
