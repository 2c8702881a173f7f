package dev.gearbox.routing.difficulty;

/** A weights file that cannot be read, with its name and line. */
public final class WeightsException extends RuntimeException {

    public WeightsException(String file, int line, String problem) {
        super(file + ": line " + line + ": " + problem);
    }
}
