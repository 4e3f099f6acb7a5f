package org.meterspec.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The engines on the class path, each listed in {@code META-INF/services/org.meterspec.engine.Engine}. */
public final class Engines {
    private Engines() {
    }

    public static List<Engine> all() {
        List<Engine> out = new ArrayList<>();
        ServiceLoader.load(Engine.class, Engines.class.getClassLoader()).forEach(out::add);
        return out;
    }

    public static List<String> names() {
        return all().stream().map(Engine::name).toList();
    }

    /** The engine of this name; {@link IllegalArgumentException} listing the names there are. */
    public static Engine named(String name) {
        List<Engine> all = all();
        for (Engine e : all) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no engine '" + name + "'; there " + (all.size() == 1 ? "is " : "are ")
                + String.join(", ", all.stream().map(Engine::name).toList()));
    }
}
