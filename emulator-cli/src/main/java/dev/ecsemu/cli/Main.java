package dev.ecsemu.cli;

import dev.ecsemu.api.Emulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ecs-emu} command. */
@Command(name = "ecs-emu", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A local emulator of Amazon ECS, Fargate and ECR that runs tasks as real containers.",
        subcommands = {StartCommand.class, SpotInterruptCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ecs-emu " + Emulator.version()};
        }
    }
}
