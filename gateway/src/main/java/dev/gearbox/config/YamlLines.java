package dev.gearbox.config;

import java.io.StringReader;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Finds the line of a field in a YAML text from its path, such as {@code models[1].provider}.
 *
 * <p>Jackson reports where its parser stopped, which is often the line after the culprit, and nothing
 * at all for values refused after parsing; the path is always known, so the line comes from it.
 */
public final class YamlLines {

    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private final Node root;

    private YamlLines(Node root) {
        this.root = root;
    }

    /** Indexes a YAML text; a text that does not parse gives no lines. */
    public static YamlLines of(String yaml) {
        try {
            return new YamlLines(new Yaml(new LoaderOptions()).compose(new StringReader(yaml)));
        } catch (RuntimeException e) {
            return new YamlLines(null);
        }
    }

    /** The 1-based line of the deepest node the path reaches, or empty when it reaches none. */
    public OptionalInt lineOf(String path) {
        Node node = root;
        Node found = null;
        Matcher m = SEGMENT.matcher(path);
        while (node != null && m.find()) {
            Node next = null;
            if (m.group(1) != null && node instanceof MappingNode mapping) {
                for (NodeTuple tuple : mapping.getValue()) {
                    if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(m.group(1))) {
                        found = key;
                        next = tuple.getValueNode();
                        break;
                    }
                }
            } else if (m.group(2) != null && node instanceof SequenceNode sequence) {
                List<Node> items = sequence.getValue();
                int index = Integer.parseInt(m.group(2));
                if (index < items.size()) {
                    next = items.get(index);
                    found = next;
                }
            }
            node = next;
        }
        return found == null ? OptionalInt.empty() : OptionalInt.of(found.getStartMark().getLine() + 1);
    }
}
