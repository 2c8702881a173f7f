package dev.gearbox.providers.simulated;

import java.util.SplittableRandom;

/** The vocabulary of simulated answers: plain words that tokenize like ordinary English. */
final class Words {

    private static final String[] WORDS = (
            "the a model answer request result value system data time process first next then because "
            + "however therefore each every simple clear short long method step approach case example "
            + "number list table field record item part whole detail summary point reason cost price "
            + "speed quality route rule limit budget cache stream token prompt reply user service "
            + "network server client query option choice plan check test measure compare improve "
            + "reduce increase keep change select match return send read write build run start stop "
            + "careful useful common likely direct small large fast slow cheap strong good better "
            + "best important general specific final initial current previous following given known "
            + "this that these those it its we you they here there now also only still just often").split(" ");

    private Words() {
    }

    static String pick(SplittableRandom rng) {
        return WORDS[rng.nextInt(WORDS.length)];
    }

    /** One sentence of 6 to 15 words, capitalised, ending in a full stop. */
    static void sentence(SplittableRandom rng, StringBuilder out) {
        int words = 6 + rng.nextInt(10);
        for (int i = 0; i < words; i++) {
            String word = pick(rng);
            if (i == 0) {
                out.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            } else {
                out.append(' ').append(word);
            }
        }
        out.append('.');
    }
}
