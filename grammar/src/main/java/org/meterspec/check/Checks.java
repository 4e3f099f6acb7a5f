package org.meterspec.check;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.meterspec.model.Bounds;
import org.meterspec.model.MeterModel;

/**
 * The validation passes, in order: definitions as written, names, tolerances, types, value
 * entries (units, formats), body layout, security, bounds, ZigBee mapping, examples. Each returns its problems; a pass runs only when the sections it reads were
 * read without error and the passes it builds on found nothing. Sizing follows when all is well.
 */
public final class Checks {
    private Checks() {
    }

    /** The passes in the order they run. */
    static List<Pass> passes() {
        return List.of(new DefinitionsPass(), new NamesPass(), new TolerancesPass(), new TypesPass(), new ValuesPass(),
                new LayoutPass(), new SecurityPass(), new BoundsPass(), new ZigbeePass(), new ExamplesPass());
    }

    /**
     * Runs the passes on a model whose {@code faulted} sections the model builder could not read,
     * adding their problems to {@code diagnostics}; returns the bounds when nothing at all was
     * found, else null.
     */
    public static Bounds run(MeterModel model, Set<Section> faulted, Diagnostics diagnostics) {
        Set<String> clean = new HashSet<>();
        for (Pass pass : passes()) {
            boolean inputClean = pass.reads().stream().noneMatch(faulted::contains) && clean.containsAll(pass.after());
            if (!inputClean) {
                continue;
            }
            List<Problem> problems = pass.run(model);
            for (Problem p : problems) {
                diagnostics.error(p.code(), p.loc(), p.message(), p.hint());
            }
            if (problems.isEmpty()) {
                clean.add(pass.name());
            }
        }
        return diagnostics.hasErrors() ? null : Sizing.of(model);
    }
}
