package org.meterspec.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.meterspec.model.MeterModel;

/**
 * One validation pass: it reads some sections of the model and returns the problems it finds.
 * It runs only when the sections it reads were read without error and the passes it builds on
 * found nothing, so what it reports is never a consequence of an earlier problem.
 */
public abstract class Pass {
    private final List<Problem> problems = new ArrayList<>();

    /** The pass's name, as {@link #after} names it. */
    public abstract String name();

    /** The sections it reads. */
    public abstract Set<Section> reads();

    /** The passes whose findings it relies on. */
    public Set<String> after() {
        return Set.of();
    }

    /** Checks the model; called once. */
    protected abstract void check(MeterModel m);

    /** Runs the pass on {@code m}, returning its problems. */
    public final List<Problem> run(MeterModel m) {
        problems.clear();
        check(m);
        return List.copyOf(problems);
    }

    protected final void error(DiagCode code, org.meterspec.model.Loc loc, String message) {
        problems.add(new Problem(code, loc, message, null));
    }

    protected final void error(DiagCode code, org.meterspec.model.Loc loc, String message, String hint) {
        problems.add(new Problem(code, loc, message, hint));
    }
}
