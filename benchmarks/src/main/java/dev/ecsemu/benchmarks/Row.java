package dev.ecsemu.benchmarks;

/**
 * One line of the table: a figure of ecs-emu and, when there is one, the same figure of the peer
 * measured in the same run (moto, docker run, docker-registry), with their ratio.
 *
 * @param unit what the numbers count, e.g. "ms", "MB", "req/s"
 * @param ecsEmuNote extra words after ecs-emu's figure (e.g. latency percentiles); may be null
 * @param peer who the comparison is with; null: no comparison
 * @param ratio ecs-emu's median divided by the peer's; null without a peer
 */
public record Row(String figure, String unit, Stats ecsEmu, String ecsEmuNote, String peer, Stats peerValue, String peerNote,
        Double ratio) {

    public static Row alone(String figure, String unit, Stats ecsEmu) {
        return new Row(figure, unit, ecsEmu, null, null, null, null, null);
    }

    public static Row against(String figure, String unit, Stats ecsEmu, String peer, Stats peerValue) {
        return new Row(figure, unit, ecsEmu, null, peer, peerValue, null, peerValue == null || peerValue.median() == 0 ? null
                : ecsEmu.median() / peerValue.median());
    }

    /** The peer could not be measured in this run (its reason in place of its figure). */
    public static Row peerMissing(String figure, String unit, Stats ecsEmu, String peer, String reason) {
        return new Row(figure, unit, ecsEmu, null, peer, null, "not available: " + reason, null);
    }

    public Row withNotes(String ecsEmuNote, String peerNote) {
        return new Row(figure, unit, ecsEmu, ecsEmuNote, peer, peerValue, peerNote, ratio);
    }
}
