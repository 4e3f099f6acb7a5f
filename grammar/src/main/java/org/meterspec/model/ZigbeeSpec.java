package org.meterspec.model;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec's ZigBee mapping: endpoints, each with the attributes it maps, as the imports and the
 * meter's own section together say (a later entry for an attribute replaces an earlier one, a
 * drop removes what it names), and the drops as written so the checks can report one that names
 * nothing.
 */
public record ZigbeeSpec(Loc loc, List<Endpoint> endpoints, List<Drop> drops, List<Conflict> conflicts) {
    public ZigbeeSpec {
        endpoints = List.copyOf(endpoints);
        drops = List.copyOf(drops);
        conflicts = List.copyOf(conflicts);
    }

    /** One file mapping an attribute twice (a later file replacing an import's entry is no conflict). */
    public record Conflict(Mapping first, Mapping second) {
    }

    /** An endpoint; profile and device are null where no section gives them. */
    public record Endpoint(Loc loc, int number, Integer profile, Integer device, List<Mapping> mappings) {
        public Endpoint {
            mappings = List.copyOf(mappings);
        }
    }

    /**
     * One attribute's mapping: {@code source} is null for an attribute the runtime maintains;
     * {@code report} null for the catalogue's default.
     */
    public record Mapping(Loc loc, String cluster, String attribute, Loc attributeLoc, Source source, Report report) {
    }

    /** What fills an attribute. */
    public sealed interface Source permits Constant, Terms {
        Loc loc();
    }

    /** A number as written (decimal or hex). */
    public record Constant(Loc loc, BigInteger value) implements Source {
    }

    /** One value or a sum of values, each added or subtracted. */
    public record Terms(Loc loc, List<Term> terms) implements Source {
        public Terms {
            terms = List.copyOf(terms);
        }
    }

    /** A value by OBIS code or by name (exactly one is set); {@code negative} when it is subtracted. */
    public record Term(Loc loc, Long obis, String name, boolean negative) {
    }

    /** Reporting: at most every {@code min} s, at least every {@code max} s, on a change of {@code change}. */
    public record Report(Loc loc, int min, int max, BigInteger change) {
    }

    /** {@code drop cluster[.attribute]} in an endpoint ({@code attribute} null for the whole cluster). */
    public record Drop(Loc loc, int endpoint, String cluster, String attribute, boolean matched) {
    }

    /** Endpoints and their mappings in the order written, with later sections merged into earlier ones. */
    public static final class Merger {
        private final Map<Integer, Loc> locs = new LinkedHashMap<>();
        private final Map<Integer, Integer> profiles = new LinkedHashMap<>();
        private final Map<Integer, Integer> devices = new LinkedHashMap<>();
        private final Map<Integer, Map<String, Mapping>> mappings = new LinkedHashMap<>();
        private final List<Drop> drops = new ArrayList<>();
        private final List<Conflict> conflicts = new ArrayList<>();
        private Loc loc;

        public void section(Loc at) {
            if (loc == null) {
                loc = at;
            }
        }

        public void endpoint(Loc at, int number, Integer profile, Integer device) {
            locs.putIfAbsent(number, at);
            if (profile != null) {
                profiles.put(number, profile);
            }
            if (device != null) {
                devices.put(number, device);
            }
            mappings.computeIfAbsent(number, k -> new LinkedHashMap<>());
        }

        /** Adds or replaces the mapping of its attribute; the same file mapping it twice is a conflict. */
        public void map(int endpoint, Mapping m) {
            Mapping before = mappings.get(endpoint).put(m.cluster() + "." + m.attribute(), m);
            if (before != null && before.loc().file().equals(m.loc().file())) {
                conflicts.add(new Conflict(before, m));
            }
        }

        public void drop(Loc at, int endpoint, String cluster, String attribute) {
            boolean matched = mappings.get(endpoint).keySet()
                    .removeIf(k -> attribute == null ? k.startsWith(cluster + ".") : k.equals(cluster + "." + attribute));
            drops.add(new Drop(at, endpoint, cluster, attribute, matched));
        }

        /** The mapping, or null when no file had a zigbee section. */
        public ZigbeeSpec result() {
            if (loc == null) {
                return null;
            }
            List<Endpoint> out = new ArrayList<>();
            for (Map.Entry<Integer, Map<String, Mapping>> e : mappings.entrySet()) {
                int n = e.getKey();
                out.add(new Endpoint(locs.get(n), n, profiles.get(n), devices.get(n), new ArrayList<>(e.getValue().values())));
            }
            return new ZigbeeSpec(loc, out, drops, conflicts);
        }
    }
}
