package org.meterspec.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.meterspec.engine.Engine;
import org.meterspec.engine.EngineException;
import org.meterspec.engine.Engines;
import org.meterspec.model.MeterModel;
import org.meterspec.zcl.ZclCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "zcl", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        sortOptions = false,
        header = "Print a spec's ZigBee endpoints and their attributes.",
        description = {"With --json, one JSON object (the same bytes from every engine); else a table.",
                "Exit codes: 0 printed, 2 the spec has errors or maps nothing.", ""})
final class ZclCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true, paramLabel = "SPEC", description = "The meter's spec.")
    Path spec;

    @Option(names = "--json", description = "Print the table as one JSON object.")
    boolean json;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "java",
            completionCandidates = DecodeCommand.EngineNames.class,
            description = "What renders the generated table: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String engine;

    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = command.commandLine().getErr();
        Engine chosen;
        try {
            chosen = Engines.named(engine);
        } catch (IllegalArgumentException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        MeterModel model = Main.load(spec, err);
        if (model == null) {
            return Main.BAD_INPUT;
        }
        String table;
        try {
            table = chosen.load(model).zclTable();
        } catch (EngineException e) {
            err.println("meterspec: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        if (table == null) {
            err.println("meterspec: " + model.file() + " maps nothing onto ZigBee: add import \"../common/zcl.meter\""
                    + " or a zigbee section");
            return Main.BAD_INPUT;
        }
        PrintWriter out = main.data();
        out.println(json ? table : "model identifier " + ZclCatalog.modelIdentifier(model.name())
                + " (the Basic cluster's; the converter of generate --lang z2m matches it)\n" + render(table));
        out.flush();
        return Main.OK;
    }

    /** The table for people: an attribute a line. */
    private static String render(String json) {
        StringBuilder sb = new StringBuilder();
        Map<?, ?> root = (Map<?, ?>) org.meterspec.engine.JsonReader.parse(json);
        for (Object e : (List<?>) root.get("endpoints")) {
            Map<?, ?> ep = (Map<?, ?>) e;
            sb.append(String.format("endpoint %s profile %s device %s%n", ep.get("endpoint"), ep.get("profile"),
                    ep.get("device")));
            for (Object c : (List<?>) ep.get("clusters")) {
                Map<?, ?> cl = (Map<?, ?>) c;
                sb.append(String.format("  cluster %s %s%n", cl.get("cluster"), cl.get("name")));
                for (Object a : (List<?>) cl.get("attributes")) {
                    Map<?, ?> at = (Map<?, ?>) a;
                    Map<?, ?> report = (Map<?, ?>) at.get("report");
                    sb.append(String.format("    %s %-28s type %s %-2s value %-16s%s%n", at.get("id"), at.get("name"),
                            at.get("type"), at.get("access"), at.get("value"), report == null ? ""
                                    : " report " + report.get("min") + ".." + report.get("max") + " s"
                                    + (report.get("change") == null ? "" : " change " + report.get("change"))));
                }
            }
        }
        return sb.toString().stripTrailing();
    }
}
