package dev.httpleak.cli;

/** Something the user must hear about in one clear message; the CLI prints it and exits with {@code code}. */
class Failure extends Exception {

    private static final long serialVersionUID = 1L;

    final int code;

    Failure(String message) {
        this(message, 1);
    }

    Failure(String message, int code) {
        super(message);
        this.code = code;
    }
}
