package dev.ecsemu.api.registry;

import dev.ecsemu.core.ecr.Repositories;
import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.state.RegionState;
import dev.ecsemu.core.state.Stores;
import java.util.function.Function;

/** A repository read or changed under its store's lock; a repository that does not exist is NAME_UNKNOWN. */
final class RepositoryAccess {
    private final Stores stores;

    RepositoryAccess(Stores stores) {
        this.stores = stores;
    }

    <T> T read(RepositoryName name, Function<Repository, T> reader) {
        return stores.of(name.scope()).read(state -> reader.apply(require(state, name)));
    }

    <T> T write(RepositoryName name, Function<Repository, T> writer) {
        return stores.of(name.scope()).write(state -> writer.apply(require(state, name)));
    }

    /** Changes the repository's store (e.g. to look at a second repository too); the writer finds the repositories itself. */
    <T> T writeState(RepositoryName name, Function<RegionState, T> writer) {
        return stores.of(name.scope()).write(writer);
    }

    /** Throws NAME_UNKNOWN unless the repository exists. */
    void requireExists(RepositoryName name) {
        read(name, r -> null);
    }

    static Repository require(RegionState state, RepositoryName name) {
        Repositories repositories = state.repositories();
        return repositories.find(name.repository()).orElseThrow(() -> nameUnknown(repositories, name));
    }

    /** ECR's words: "The repository with name 'x' does not exist in the registry with id '…'". */
    static RegistryError nameUnknown(Repositories repositories, RepositoryName name) {
        return new RegistryError(404, "NAME_UNKNOWN", repositories.notFound(name.repository()).getMessage()).detail("name", name.full());
    }
}
