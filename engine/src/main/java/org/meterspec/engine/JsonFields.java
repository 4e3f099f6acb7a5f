package org.meterspec.engine;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The members of one object, each taken once. */
final class JsonFields {
    private final Map<?, ?> object;
    private final Set<Object> taken = new HashSet<>();

    JsonFields(Map<?, ?> object) {
        this.object = object;
    }

    Object take(String name) {
        if (!object.containsKey(name)) {
            throw new IllegalArgumentException("no \"" + name + "\"");
        }
        taken.add(name);
        return object.get(name);
    }

    String string(String name) {
        if (!(take(name) instanceof String s)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a string");
        }
        return s;
    }

    String optionalString(String name) {
        return object.containsKey(name) ? string(name) : null;
    }

    long integer(String name) {
        if (!(take(name) instanceof Long n)) {
            throw new IllegalArgumentException("\"" + name + "\" is not an integer");
        }
        return n;
    }

    void requireNoOthers() {
        for (Object key : object.keySet()) {
            if (!taken.contains(key)) {
                throw new IllegalArgumentException("unexpected \"" + key + "\"");
            }
        }
    }
}
