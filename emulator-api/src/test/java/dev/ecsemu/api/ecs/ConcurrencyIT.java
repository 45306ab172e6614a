package dev.ecsemu.api.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecsemu.api.testing.ModelOnlyIT;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Tag;

/** Many clients at once: every mutation is atomic, so counters never skip or repeat. */
class ConcurrencyIT extends ModelOnlyIT {
    private static final int THREADS = 16;
    private static final int PER_THREAD = 25;

    /** Runs the task on THREADS threads released at the same moment, and answers each thread's result. */
    private static <T> List<T> concurrently(IntFunctionWithException<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch ready = new CountDownLatch(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<T> c = () -> {
                    ready.countDown();
                    go.await();
                    return task.apply(thread);
                };
                futures.add(pool.submit(c));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface IntFunctionWithException<T> {
        T apply(int thread) throws Exception;
    }

    @Test
    void concurrentRegistrationsOfOneFamilyGetContiguousRevisions() throws Exception {
        ContainerDefinition app = ContainerDefinition.builder().name("app").image("nginx").memory(64).build();
        List<List<Integer>> perThread = concurrently(thread -> {
            List<Integer> revisions = new ArrayList<>();
            for (int i = 0; i < PER_THREAD; i++) {
                revisions.add(ecs.registerTaskDefinition(b -> b.family("busy").containerDefinitions(app)).taskDefinition().revision());
            }
            return revisions;
        });

        int total = THREADS * PER_THREAD;
        List<Integer> all = new ArrayList<>();
        perThread.forEach(all::addAll);
        assertThat(all).hasSize(total).doesNotHaveDuplicates();
        assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, total).boxed().toList());
        // Each thread saw its own revisions increase.
        perThread.forEach(revisions -> assertThat(revisions).isSorted());

        List<String> listed = ecs.listTaskDefinitionsPaginator(b -> b.familyPrefix("busy")).taskDefinitionArns().stream().toList();
        assertThat(listed).hasSize(total).doesNotHaveDuplicates();
        assertThat(listed.get(total - 1)).isEqualTo("arn:aws:ecs:us-east-1:000000000000:task-definition/busy:" + total);
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("busy")).taskDefinition().revision()).isEqualTo(total);
        assertThat(ecs.registerTaskDefinition(b -> b.family("busy").containerDefinitions(app)).taskDefinition().revision())
                .isEqualTo(total + 1);
    }

    @Test
    void concurrentCreatesOfOneClusterNameMakeExactlyOneCluster() throws Exception {
        List<Cluster> created = concurrently(thread -> ecs.createCluster(b -> b.clusterName("race")
                .tags(Tag.builder().key("creator").value("t" + thread).build())).cluster());

        Set<String> arns = new HashSet<>();
        created.forEach(c -> arns.add(c.clusterArn()));
        assertThat(arns).containsExactly("arn:aws:ecs:us-east-1:000000000000:cluster/race");
        assertThat(created).extracting(Cluster::status).containsOnly("ACTIVE");
        assertThat(ecs.listClusters().clusterArns()).containsExactly("arn:aws:ecs:us-east-1:000000000000:cluster/race");

        // Exactly one creator won: its tags, and only its, are on the cluster, and every caller saw them.
        List<Tag> tags = ecs.describeClusters(b -> b.clusters("race").include(ClusterField.TAGS)).clusters().get(0).tags();
        assertThat(tags).hasSize(1);
        assertThat(tags.get(0).key()).isEqualTo("creator");
        created.forEach(c -> assertThat(c.tags()).isEqualTo(tags));
    }

    @Test
    void concurrentCreatesOfDistinctClustersAreAllKept() throws Exception {
        concurrently(thread -> {
            for (int i = 0; i < 5; i++) {
                String name = "c-" + thread + "-" + i;
                ecs.createCluster(b -> b.clusterName(name));
            }
            return null;
        });
        List<String> arns = ecs.listClustersPaginator(b -> b.maxResults(7)).clusterArns().stream().toList();
        assertThat(arns).hasSize(THREADS * 5).doesNotHaveDuplicates().isSorted();
    }
}
