package dev.gearbox.routing.difficulty.training;

/** A training file that cannot be read, with its name and line. */
public final class TrainingDataException extends RuntimeException {

    public TrainingDataException(String file, int line, String problem) {
        super(file + ": line " + line + ": " + problem);
    }
}
