package org.meterspec.model;

/** The DATA-NOTIFICATION header: its date-time, where it is reported, and block transfer. */
public record NotificationSpec(Loc loc, Presence dateTime, Long dateTimeObis, int maxBlocks) {
}
