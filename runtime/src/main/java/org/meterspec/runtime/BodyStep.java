package org.meterspec.runtime;

/**
 * One step of a body layout, as the generated decoder numbers them: the element of the spec it
 * reads ({@code at}, as {@code file:line:column}; {@code element}, in the spec's words) and what
 * it expects to find in the telegram, in words.
 */
public record BodyStep(String at, String element, String expects) {
    public BodyStep {
        java.util.Objects.requireNonNull(at, "at");
        java.util.Objects.requireNonNull(element, "element");
        java.util.Objects.requireNonNull(expects, "expects");
    }

    @Override
    public String toString() {
        return element + " at " + at + " expects " + expects;
    }
}
