package org.meterspec.engine.infer;

/** Inference cannot write a draft for these captures; the message says why, in words for the user. */
public final class InferException extends Exception {
    public InferException(String message) {
        super(message);
    }
}
