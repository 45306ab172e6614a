package dev.ecsemu.core.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The image of the container that holds an awsvpc task's network namespace, as the ECS agent's pause
 * container does. It is built on the engine itself, with no registry: {@code FROM scratch} plus a static
 * ELF program of a few dozen bytes, written here for the engine's architecture, that waits for signals
 * for ever (x86_64: {@code pause()}; arm64, which has no pause: {@code ppoll(NULL, 0, NULL, NULL)}).
 * Labelled {@value #LABEL}, tagged {@value #IMAGE}; it stays on the engine for the next emulator.
 */
final class HolderImage {
    static final String IMAGE = "ecs-emu/holder:1";
    static final String LABEL = "ecs-emu.holder";
    private static final long BASE = 0x400000L;
    private static final int HEADERS = 64 + 56;
    /** x86_64: {@code loop: mov eax, 34 (pause); syscall; jmp loop}. */
    private static final byte[] X86_64 = {(byte) 0xb8, 0x22, 0, 0, 0, 0x0f, 0x05, (byte) 0xeb, (byte) 0xf7};
    /** aarch64: {@code loop: mov x0..x4, #0; mov x8, #73 (ppoll); svc #0; b loop}. */
    private static final int[] AARCH64 = {0xd2800000, 0xd2800001, 0xd2800002, 0xd2800003, 0xd2800004, 0xd2800928, 0xd4000001,
            0x17fffff9};

    private HolderImage() {
    }

    /** Builds the image unless the engine has it; answers its name. */
    static String ensure(DockerClient client) {
        try {
            client.inspectImageCmd(IMAGE).exec();
            return IMAGE;
        } catch (NotFoundException absent) {
            // built below
        }
        String arch = client.infoCmd().exec().getArchitecture();
        Path context = null;
        try {
            context = Files.createTempDirectory("ecs-emu-holder");
            Path program = context.resolve("pause");
            Files.write(program, program(arch));
            program.toFile().setExecutable(true, false);
            Files.writeString(context.resolve("Dockerfile"), String.join("\n",
                    "FROM scratch",
                    "COPY pause /pause",
                    "LABEL " + LABEL + "=true " + RuntimeIdentity.MANAGED + "=true",
                    "ENTRYPOINT [\"/pause\"]",
                    ""), StandardCharsets.UTF_8);
            client.buildImageCmd(context.toFile()).withTags(Set.of(IMAGE)).withPull(false).withRemove(true).withForcerm(true)
                    .start().awaitImageId();
            return IMAGE;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the build context of " + IMAGE, e);
        } finally {
            deleteQuietly(context);
        }
    }

    /** The static ELF executable for an engine architecture as {@code docker info} names it. */
    static byte[] program(String architecture) {
        String arch = architecture == null ? "" : architecture.toLowerCase(java.util.Locale.ROOT);
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        if (!arm && !arch.equals("x86_64") && !arch.equals("amd64")) {
            throw new IllegalStateException("awsvpc tasks need a holder program for the engine's architecture " + architecture
                    + "; ecs-emu has one for x86_64 and aarch64 only");
        }
        byte[] code;
        if (arm) {
            ByteBuffer b = ByteBuffer.allocate(AARCH64.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int word : AARCH64) {
                b.putInt(word);
            }
            code = b.array();
        } else {
            code = X86_64;
        }
        int size = HEADERS + code.length;
        ByteBuffer elf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        // ELF header: 64-bit, little endian, version 1, System V ABI.
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        elf.putShort((short) 2);                       // e_type: executable
        elf.putShort((short) (arm ? 0xb7 : 0x3e));     // e_machine: AArch64 / x86-64
        elf.putInt(1);                                 // e_version
        elf.putLong(BASE + HEADERS);                   // e_entry: the code right after the headers
        elf.putLong(64);                               // e_phoff
        elf.putLong(0);                                // e_shoff: no sections
        elf.putInt(0);                                 // e_flags
        elf.putShort((short) 64);                      // e_ehsize
        elf.putShort((short) 56);                      // e_phentsize
        elf.putShort((short) 1);                       // e_phnum
        elf.putShort((short) 0);                       // e_shentsize
        elf.putShort((short) 0);                       // e_shnum
        elf.putShort((short) 0);                       // e_shstrndx
        // One loadable, readable and executable segment: the whole file.
        elf.putInt(1);                                 // p_type: PT_LOAD
        elf.putInt(5);                                 // p_flags: R + X
        elf.putLong(0);                                // p_offset
        elf.putLong(BASE);                             // p_vaddr
        elf.putLong(BASE);                             // p_paddr
        elf.putLong(size);                             // p_filesz
        elf.putLong(size);                             // p_memsz
        elf.putLong(0x1000);                           // p_align
        elf.put(code);
        return elf.array();
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
