package dev.gearbox.console.whatif;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A unified diff of two versions of a text file, as {@code git diff} shows it, so the what-if page can show
 * the change to commit. Lines common to both ends are set aside first, since an edit of rules is local; the
 * rest is aligned by longest common subsequence, or shown as replaced when too large to align.
 */
public final class LineDiff {

    /** Above this many cells the middle is not aligned: a whole-file rewrite reads fine as one replacement. */
    static final long MAX_CELLS = 4_000_000;
    private static final int CONTEXT = 3;

    private LineDiff() {
    }

    private record Op(char kind, String line) {
    }

    /** The diff of {@code before} and {@code after} under {@code name}; empty when they are the same. */
    public static String unified(String name, String before, String after) {
        if (before.equals(after)) {
            return "";
        }
        List<String> a = lines(before);
        List<String> b = lines(after);
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        List<Op> ops = new ArrayList<>();
        a.subList(0, prefix).forEach(l -> ops.add(new Op(' ', l)));
        align(a.subList(prefix, a.size() - suffix), b.subList(prefix, b.size() - suffix), ops);
        a.subList(a.size() - suffix, a.size()).forEach(l -> ops.add(new Op(' ', l)));
        return "--- a/" + name + "\n+++ b/" + name + "\n" + hunks(ops);
    }

    private static void align(List<String> a, List<String> b, List<Op> ops) {
        if ((long) a.size() * b.size() > MAX_CELLS) {
            a.forEach(l -> ops.add(new Op('-', l)));
            b.forEach(l -> ops.add(new Op('+', l)));
            return;
        }
        // common[i][j]: the longest common subsequence of a[i..] and b[j..].
        int[][] common = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add(new Op(' ', a.get(i++)));
                j++;
            } else if (i < a.size() && (j == b.size() || common[i + 1][j] >= common[i][j + 1])) {
                // Removals before additions, as diff writes a changed line.
                ops.add(new Op('-', a.get(i++)));
            } else {
                ops.add(new Op('+', b.get(j++)));
            }
        }
    }

    private static String hunks(List<Op> ops) {
        // Lines of each side consumed before each op, to number the hunks.
        int[] beforeA = new int[ops.size() + 1];
        int[] beforeB = new int[ops.size() + 1];
        for (int k = 0; k < ops.size(); k++) {
            char kind = ops.get(k).kind();
            beforeA[k + 1] = beforeA[k] + (kind == '+' ? 0 : 1);
            beforeB[k + 1] = beforeB[k] + (kind == '-' ? 0 : 1);
        }
        StringBuilder out = new StringBuilder();
        int k = 0;
        while (k < ops.size()) {
            if (ops.get(k).kind() == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            // Changes closer than two contexts apart share a hunk.
            for (int next = k; next < ops.size() && next <= end + 2 * CONTEXT; next++) {
                if (ops.get(next).kind() != ' ') {
                    end = next;
                }
            }
            end = Math.min(ops.size(), end + CONTEXT + 1);
            int aLength = beforeA[end] - beforeA[start];
            int bLength = beforeB[end] - beforeB[start];
            out.append("@@ -").append(range(beforeA[start], aLength)).append(" +").append(range(beforeB[start], bLength))
                    .append(" @@\n");
            for (Op op : ops.subList(start, end)) {
                out.append(op.kind()).append(op.line()).append('\n');
            }
            k = end;
        }
        return out.toString();
    }

    /** A hunk's range as diff writes it: an empty side names the line before it. */
    private static String range(int before, int length) {
        return (length == 0 ? before : before + 1) + "," + length;
    }

    private static List<String> lines(String text) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return body.isEmpty() ? List.of() : Arrays.asList(body.split("\n", -1));
    }
}
