package org.meterspec.model;

public enum Presence {
    REQUIRED, OPTIONAL, ABSENT
}
