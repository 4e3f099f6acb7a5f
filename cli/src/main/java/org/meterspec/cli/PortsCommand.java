package org.meterspec.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.meterspec.engine.live.SerialPorts;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "ports", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        header = "List the serial ports this system has, with their descriptions.",
        description = {"One line per port: its path (what read and replay take as --port), its system name and its "
                + "description. Pseudo-terminals are not listed, but read and replay open them by path.", ""})
final class PortsCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        List<SerialPorts.Info> ports = SerialPorts.list();
        if (ports.isEmpty()) {
            command.commandLine().getErr().println("meterspec: no serial ports found");
            return Main.OK;
        }
        int width = ports.stream().mapToInt(p -> p.path().length()).max().orElse(0);
        int nameWidth = ports.stream().mapToInt(p -> p.name().length()).max().orElse(0);
        PrintWriter out = command.commandLine().getOut();
        for (SerialPorts.Info p : ports) {
            out.println(String.format("%-" + width + "s  %-" + nameWidth + "s  %s", p.path(), p.name(),
                    p.description()).stripTrailing());
        }
        out.flush();
        return Main.OK;
    }
}
