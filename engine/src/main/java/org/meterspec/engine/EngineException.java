package org.meterspec.engine;

/**
 * An engine could not run a decoder: its message is one line for a user; {@link #details()}
 * holds what a developer needs (a compiler's diagnostics, say), which may be long.
 */
public final class EngineException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String details;

    public EngineException(String message, String details) {
        super(message);
        this.details = details == null ? "" : details;
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
        this.details = String.valueOf(cause);
    }

    public String details() {
        return details;
    }
}
