package dev.gearbox.inbound.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Whether a Messages request's chat form can stand for it. Blocks without a chat form (documents, search
 * results, server tool results, types the gateway does not know) are left out of it; when nothing but a
 * system prompt is left, the request is still valid as written, for an Anthropic upstream, but no chat model
 * can be sent it.
 */
final class ChatlessRequest {

    /** The content blocks {@link MessagesToChatRequest} gives a chat form; every other is left out. */
    private static final Set<String> CHAT_FORMS = Set.of("text", "image", "tool_result", "tool_use");

    private ChatlessRequest() {
    }

    /**
     * What leaves the chat form without a turn, as {@code messages.0.content.0 is a 'document' block}; null when
     * the chat form has one.
     *
     * @param body the Messages request as the client sent it, already checked
     * @param chat its chat form
     */
    static String why(JsonObject body, JsonObject chat) {
        for (Object message : chat.getJsonArray("messages")) {
            if (!"system".equals(((JsonObject) message).getValue("role"))) {
                return null;
            }
        }
        JsonArray turns = body.getJsonArray("messages");
        for (int i = 0; i < turns.size(); i++) {
            if (turns.getJsonObject(i).getValue("content") instanceof JsonArray blocks) {
                for (int j = 0; j < blocks.size(); j++) {
                    String type = blocks.getJsonObject(j).getString("type");
                    if (!CHAT_FORMS.contains(type)) {
                        return "messages." + i + ".content." + j + " is a '" + type + "' block";
                    }
                }
            }
        }
        return "messages has only empty turns";
    }
}
