package dev.ecsemu.core.taskdefinition;

import static dev.ecsemu.core.testing.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskSizeTest {

    @ParameterizedTest(name = "cpu \"{0}\" is {1} units")
    @CsvSource(delimiter = '|', value = {
            "256|256",
            "1024|1024",
            "0256|256",
            " 512 |512",
            "1 vCPU|1024",
            "0.25 vcpu|256",
            "0.5 vCPU|512",
            "2 VCPU|2048",
            "4vcpu|4096",
            "16 vCPU|16384",
    })
    void cpuForms(String given, int units) {
        assertThat(TaskSize.cpuUnits(given)).isEqualTo(units);
    }

    @ParameterizedTest(name = "memory \"{0}\" is {1} MiB")
    @CsvSource(delimiter = '|', value = {
            "512|512",
            "2048|2048",
            "2GB|2048",
            "2 gb|2048",
            "0.5 GB|512",
            "1.5GB|1536",
            "120 GB|122880",
    })
    void memoryForms(String given, int mib) {
        assertThat(TaskSize.memoryMiB(given)).isEqualTo(mib);
    }

    @Test
    void absentSizesAreNull() {
        assertThat(TaskSize.cpuUnits(null)).isNull();
        assertThat(TaskSize.memoryMiB(null)).isNull();
    }

    @ParameterizedTest(name = "cpu \"{0}\" is refused")
    @ValueSource(strings = {"", " ", "abc", "-256", "1.5", "1 vCPUs", "vcpu", "1 GB", "1,024", "1e3", "0x100", "1234567890",
            "3000000 vCPU", "99999999999 vcpu"})
    void invalidCpuRefused(String given) {
        assertRefused(() -> TaskSize.cpuUnits(given), "ClientException",
                "Invalid 'cpu' setting for task. Got '" + given + "'. Give CPU units (for example 1024) or vCPUs (for example '1 vCPU').");
    }

    @ParameterizedTest(name = "memory \"{0}\" is refused")
    @ValueSource(strings = {"", "abc", "-512", "2 GiB", "2MB", "2 G", "GB", "1 vCPU", "2.5", "1234567890", "3000000 GB",
            "99999999999GB"})
    void invalidMemoryRefused(String given) {
        assertRefused(() -> TaskSize.memoryMiB(given), "ClientException",
                "Invalid 'memory' setting for task. Got '" + given + "'. Give MiB (for example 2048) or GB (for example '2GB').");
    }

    /** The Fargate size table of the reference (section 5.1), written out independently of the code under test. */
    private static final Map<Integer, TreeSet<Integer>> TABLE = new TreeMap<>();

    static {
        TABLE.put(256, new TreeSet<>(List.of(512, 1024, 2048)));
        TABLE.put(512, range(1024, 4096, 1024));
        TABLE.put(1024, range(2048, 8192, 1024));
        TABLE.put(2048, range(4096, 16384, 1024));
        TABLE.put(4096, range(8192, 30720, 1024));
        TABLE.put(8192, range(16384, 61440, 4096));
        TABLE.put(16384, range(32768, 122880, 8192));
    }

    private static TreeSet<Integer> range(int from, int to, int step) {
        TreeSet<Integer> out = new TreeSet<>();
        for (int m = from; m <= to; m += step) {
            out.add(m);
        }
        return out;
    }

    @Test
    void tableHasTheDocumentedNumberOfPairs() {
        assertThat(TABLE.get(256)).hasSize(3);
        assertThat(TABLE.get(512)).containsExactly(1024, 2048, 3072, 4096);
        assertThat(TABLE.get(1024)).hasSize(7).startsWith(2048).endsWith(8192);
        assertThat(TABLE.get(2048)).hasSize(13).startsWith(4096).endsWith(16384);
        assertThat(TABLE.get(4096)).hasSize(23).startsWith(8192).endsWith(30720);
        assertThat(TABLE.get(8192)).hasSize(12).startsWith(16384, 20480).endsWith(61440);
        assertThat(TABLE.get(16384)).hasSize(12).startsWith(32768, 40960).endsWith(122880);
    }

    @Test
    void everyValidPairIsAccepted() {
        TABLE.forEach((cpu, memories) -> memories.forEach(memory ->
                assertThat(TaskSize.fargateSupports(cpu, memory)).as("%d CPU / %d MiB", cpu, memory).isTrue()));
    }

    @Test
    void everyOtherPairIsRefused() {
        List<Integer> cpus = new ArrayList<>(TABLE.keySet());
        cpus.addAll(List.of(0, 128, 255, 257, 768, 1536, 3072, 6144, 10240, 12288, 32768, -256));
        List<String> wronglyAccepted = new ArrayList<>();
        for (int cpu : cpus) {
            for (int memory = -512; memory <= 131_072; memory += 128) {
                boolean expected = TABLE.getOrDefault(cpu, new TreeSet<>()).contains(memory);
                if (TaskSize.fargateSupports(cpu, memory) != expected) {
                    wronglyAccepted.add(cpu + "/" + memory + (expected ? " refused" : " accepted"));
                }
            }
            for (int odd : List.of(1, 511, 513, 1000, 2047, 2049, 4095, 16383, 16385, 30721, 61439, 122879, 122881,
                    Integer.MAX_VALUE, Integer.MIN_VALUE)) {
                if (TaskSize.fargateSupports(cpu, odd)) {
                    wronglyAccepted.add(cpu + "/" + odd + " accepted");
                }
            }
        }
        assertThat(wronglyAccepted).isEmpty();
    }

    @ParameterizedTest(name = "{0} CPU / {1} MiB is refused")
    @CsvSource({
            "256,256", "256,1536", "256,3072", "256,4096",
            "512,512", "512,1536", "512,5120",
            "1024,1024", "1024,9216",
            "2048,3072", "2048,17408",
            "4096,7168", "4096,31744",
            "8192,8192", "8192,18432", "8192,65536",
            "16384,16384", "16384,36864", "16384,131072",
    })
    void invalidPairs(int cpu, int memory) {
        assertThat(TaskSize.fargateSupports(cpu, memory)).isFalse();
    }
}
