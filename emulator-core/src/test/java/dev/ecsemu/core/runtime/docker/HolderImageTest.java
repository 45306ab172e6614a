package dev.ecsemu.core.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The holder's program: a valid static ELF executable for the engine's architecture. */
class HolderImageTest {

    @Test
    void theProgramIsAStaticElfExecutableWhoseEntryIsItsCode() {
        for (String arch : new String[] {"x86_64", "aarch64"}) {
            byte[] elf = HolderImage.program(arch);
            ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(new String(elf, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ELF");
            assertThat(elf[4]).as("64-bit").isEqualTo((byte) 2);
            assertThat(b.getShort(16)).as("executable").isEqualTo((short) 2);
            assertThat(b.getShort(18)).isEqualTo((short) (arch.equals("x86_64") ? 0x3e : 0xb7));
            assertThat(b.getLong(24)).as("entry right after the headers").isEqualTo(0x400000L + 120);
            assertThat(b.getInt(64)).as("PT_LOAD").isEqualTo(1);
            assertThat(b.getLong(64 + 32)).as("the segment is the whole file").isEqualTo(elf.length);
            assertThat(elf.length).isLessThan(200);
        }
        assertThat(HolderImage.program("amd64")).isEqualTo(HolderImage.program("x86_64"));
        assertThat(HolderImage.program("arm64")).isEqualTo(HolderImage.program("aarch64"));
        assertThatThrownBy(() -> HolderImage.program("s390x")).hasMessageContaining("x86_64 and aarch64 only");
    }
}
