package org.meterspec.check;

/** The one numbered list of spec problems. Numbers are stable: append, never renumber. */
public enum DiagCode {
    SYNTAX(1),
    IMPORT_NOT_FOUND(2),
    IMPORT_CYCLE(3),
    IMPORT_CONTENT(4),
    SPEC_NOT_FOUND(5),
    MISSING_METER(10),
    DUPLICATE_SECTION(11),
    MISSING_SECTION(12),
    BAD_NAME(13),
    DUPLICATE_PROPERTY(14),
    MISPLACED_PROPERTY(15),
    TOO_LONG(16),
    UNKNOWN_TYPE(20),
    UNKNOWN_TOLERANCE(21),
    UNKNOWN_UNIT(22),
    BAD_NUMBER(23),
    BAD_OBIS(24),
    DUPLICATE_TOLERANCE(25),
    DUPLICATE_VALUE(30),
    DUPLICATE_NAME(31),
    UNNAMED_VALUE(32),
    TYPE_CONFLICT(33),
    FORMAT_MISMATCH(34),
    SCALER_RANGE(35),
    OBIS_PATTERN(36),
    UNBOUNDED(40),
    BOUND_TOO_LARGE(41),
    NO_OBIS(50),
    GROUP(51),
    REPEAT_PLACEMENT(52),
    AMBIGUOUS_OPTIONAL(53),
    EMPTY_BODY(54),
    PUSH_OBJECTS(55),
    CHOICE(56),
    DATETIME_REPORT(57),
    NESTING(58),
    SECURITY_CONTROL(60),
    SECURITY_MODE(61),
    EXAMPLE_CAPTURE(70),
    EXAMPLE_KEY(71),
    EXAMPLE_EXPECTATION(72),
    DUPLICATE_EXAMPLE(73),
    ZCL_UNKNOWN(80),
    ZCL_SOURCE(81),
    ZCL_RANGE(82),
    ZCL_DUPLICATE(83),
    ZCL_SCALE_PAIR(84),
    ZCL_DROP(85),
    ZCL_REPORT(86),
    ZCL_ENDPOINT(87),
    SERIAL_SETTINGS(88);

    private final int number;

    DiagCode(int number) {
        this.number = number;
    }

    /** {@code MS001}-style identifier. */
    public String id() {
        return String.format("MS%03d", number);
    }
}
