package org.meterspec.check;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meterspec.model.ExampleSpec;
import org.meterspec.model.MeterModel;
import org.meterspec.runtime.Captures;
import org.meterspec.runtime.ErrorCode;
import org.meterspec.runtime.Keys;

/**
 * Examples: each has one readable capture (a regular file of bounded size, or inline hex), keys
 * that are keys, expectations naming real error codes in their layers, and a name of its own.
 */
final class ExamplesPass extends Pass {
    /** Largest capture file an example may name. */
    static final long MAX_CAPTURE_BYTES = Captures.MAX_TEXT_BYTES;

    @Override
    public String name() {
        return "examples";
    }

    @Override
    public Set<Section> reads() {
        return EnumSet.of(Section.EXAMPLES);
    }

    @Override
    protected void check(MeterModel m) {
        Map<String, ExampleSpec> byName = new HashMap<>();
        for (ExampleSpec x : m.examples()) {
            ExampleSpec first = byName.putIfAbsent(x.name(), x);
            if (first != null) {
                error(DiagCode.DUPLICATE_EXAMPLE, x.loc(), "a second example is named '" + x.name()
                        + "'; the first is at " + first.loc());
            }
            capture(x);
            try {
                Keys.ofHex(x.key(), x.authKey());
            } catch (IllegalArgumentException e) {
                error(DiagCode.EXAMPLE_KEY, x.keyLoc() != null ? x.keyLoc() : x.loc(), e.getMessage());
            }
            if (x.expectations().isEmpty()) {
                error(DiagCode.EXAMPLE_EXPECTATION, x.loc(), "example '" + x.name() + "' expects nothing",
                        "add 'expect ok { ... }' or 'expect error <layer> <CODE>' for each telegram in the capture");
            }
            for (ExampleSpec.Expectation e : x.expectations()) {
                if (e instanceof ExampleSpec.ExpectError err) {
                    errorCode(err);
                }
            }
        }
    }

    private void capture(ExampleSpec x) {
        if (x.captureFile() != null && x.captureHex() != null) {
            error(DiagCode.EXAMPLE_CAPTURE, x.captureHexLoc(), "example '" + x.name()
                    + "' has both 'capture file' and 'capture hex'", "keep one");
            return;
        }
        if (x.captureFile() == null && x.captureHex() == null) {
            error(DiagCode.EXAMPLE_CAPTURE, x.loc(), "example '" + x.name() + "' has no capture",
                    "add 'capture file \"name.hex\"' (next to the spec) or 'capture hex \"68...\"'");
            return;
        }
        if (x.captureFile() == null) {
            try {
                Captures.parseHex(x.captureHex());
            } catch (IllegalArgumentException e) {
                // the strings of 'capture hex' are the text's lines
                error(DiagCode.EXAMPLE_CAPTURE, x.captureLoc(), "capture hex is not hex: "
                        + e.getMessage().replaceFirst("^line (\\d+), column", "string $1, character"));
            }
            return;
        }
        Path file = x.captureFile();
        String shown = file.toString().replace('\\', '/');
        if (java.nio.file.Files.exists(file) && !java.nio.file.Files.isRegularFile(file)) {
            error(DiagCode.EXAMPLE_CAPTURE, x.captureLoc(), "capture '" + shown + "' is not a regular file",
                    "an example's capture is a file of bytes or hex text next to the spec");
            return;
        }
        try {
            // bounded, and a device or a FIFO (which would never end, or block) is refused unread
            Captures.readFile(file, MAX_CAPTURE_BYTES);
        } catch (java.nio.file.NoSuchFileException e) {
            error(DiagCode.EXAMPLE_CAPTURE, x.captureLoc(), "cannot read capture '" + shown + "': no such file",
                    "the path is relative to the spec file");
        } catch (java.nio.file.FileSystemException e) {
            error(DiagCode.EXAMPLE_CAPTURE, x.captureLoc(), "cannot read capture '" + shown + "': "
                    + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
        } catch (IOException e) {
            error(DiagCode.EXAMPLE_CAPTURE, x.captureLoc(), "cannot read capture '" + shown + "': "
                    + e.getClass().getSimpleName(), "the path is relative to the spec file");
        } catch (IllegalArgumentException e) {
            error(DiagCode.EXAMPLE_CAPTURE, x.captureLoc(), "capture '" + shown + "' is not hex: " + e.getMessage());
        }
    }

    private void errorCode(ExampleSpec.ExpectError e) {
        if (e.code() == null) {
            List<String> names = new ArrayList<>();
            for (ErrorCode c : ErrorCode.values()) {
                names.add(c.name());
            }
            error(DiagCode.EXAMPLE_EXPECTATION, e.codeLoc(), "unknown error code '" + e.codeName() + "'",
                    Diagnostics.didYouMean(e.codeName(), names));
        } else if (!e.code().layer().jsonName().equals(e.layer())) {
            error(DiagCode.EXAMPLE_EXPECTATION, e.layerLoc(), e.codeName() + " is a " + e.code().layer().jsonName()
                    + " error, not a " + e.layer() + " error", "write 'expect error "
                    + e.code().layer().jsonName() + " " + e.codeName() + "'");
        }
    }
}
