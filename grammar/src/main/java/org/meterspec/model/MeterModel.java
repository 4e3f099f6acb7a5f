package org.meterspec.model;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

/**
 * A validated meter spec: everything the generators need and nothing of the parse tree.
 * {@code file} is the spec's path as the user named it; {@code fingerprint} identifies the
 * spec text (with its imports) so that decoders generated from it can prove their origin.
 */
public record MeterModel(Loc loc, String name, String title, String file, Path path, Transport transport,
                         SecuritySpec security, NotificationSpec notification, Element body,
                         SortedMap<Long, ValueSpec> values, List<ToleranceSpec> tolerances,
                         List<ExampleSpec> examples, String fingerprint, Bounds bounds) {
    public MeterModel {
        values = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(values));
        tolerances = List.copyOf(tolerances);
        examples = List.copyOf(examples);
    }

    public boolean tolerates(org.meterspec.runtime.Tolerance t) {
        return tolerances.stream().anyMatch(s -> s.tolerance() == t);
    }
}
