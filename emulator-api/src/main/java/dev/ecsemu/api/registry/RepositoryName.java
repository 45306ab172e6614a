package dev.ecsemu.api.registry;

import dev.ecsemu.core.ecr.Repositories;
import dev.ecsemu.core.state.Scope;

/**
 * A repository as the registry's paths name it: {@code <account>/<region>/<repository>}, so that one
 * registry host serves every account and region and a repository URI still says which one it is in.
 */
record RepositoryName(Scope scope, String repository) {

    /** The name in a path ({@code 000000000000/us-east-1/my-app}); NAME_INVALID when it is not one. */
    static RepositoryName parse(String name) {
        String[] parts = name.split("/", 3);
        if (parts.length != 3 || !Scope.isAccountId(parts[0]) || !Scope.isRegionName(parts[1])
                || !Repositories.isValidName(parts[2])) {
            throw RegistryError.nameInvalid(name);
        }
        return new RepositoryName(new Scope(parts[0], parts[1]), parts[2]);
    }

    /** The name as the registry's paths and answers write it. */
    String full() {
        return scope.account() + "/" + scope.region() + "/" + repository;
    }

    /** The path prefix of this repository's endpoints. */
    String path() {
        return "/v2/" + full();
    }
}
