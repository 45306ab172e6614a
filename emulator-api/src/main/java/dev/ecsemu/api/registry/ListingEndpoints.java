package dev.ecsemu.api.registry;

import dev.ecsemu.core.ecr.Repository;
import dev.ecsemu.core.state.Stores;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code GET /v2/<name>/tags/list} and {@code GET /v2/_catalog}: names in lexical order, a page of
 * {@code n} after {@code last}, and a {@code Link: <…>; rel="next"} header while more follow.
 */
final class ListingEndpoints {
    private final RepositoryAccess repositories;
    private final Stores stores;

    ListingEndpoints(RepositoryAccess repositories, Stores stores) {
        this.repositories = repositories;
        this.stores = stores;
    }

    RegistryResponse tags(RepositoryName name, String n, String last) {
        List<String> tags = repositories.read(name, r -> new ArrayList<>(r.tags().keySet()));
        Page page = page(tags, n, last, name.path() + "/tags/list");
        RegistryResponse response = new RegistryResponse(200).json(Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("name", name.full());
            g.writeArrayFieldStart("tags");
            for (String t : page.names()) {
                g.writeString(t);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
        return page.link(response);
    }

    /** Every repository of every account and region, named {@code <account>/<region>/<repository>}. */
    RegistryResponse catalog(String n, String last) {
        List<String> names = Collections.synchronizedList(new ArrayList<>());
        stores.forEach((scope, store) -> store.read(state -> {
            for (Repository r : state.repositories().all()) {
                names.add(new RepositoryName(scope, r.name()).full());
            }
            return null;
        }));
        Collections.sort(names);
        Page page = page(names, n, last, "/v2/_catalog");
        RegistryResponse response = new RegistryResponse(200).json(Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("repositories");
            for (String r : page.names()) {
                g.writeString(r);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
        return page.link(response);
    }

    private record Page(List<String> names, String next) {
        RegistryResponse link(RegistryResponse response) {
            return next == null ? response : response.header("Link", "<" + next + ">; rel=\"next\"");
        }
    }

    /** The names after {@code last} (all of them without it), at most {@code n} (all without it). */
    private static Page page(List<String> sorted, String n, String last, String path) {
        int from = 0;
        if (last != null) {
            int at = Collections.binarySearch(sorted, last);
            from = at >= 0 ? at + 1 : -at - 1;
        }
        List<String> rest = sorted.subList(from, sorted.size());
        if (n == null) {
            return new Page(rest, null);
        }
        int size;
        try {
            size = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0) {
            throw new RegistryError(400, "PAGINATION_NUMBER_INVALID", "n=" + n + " is not a page size: give a whole number, 0 or more.")
                    .detail("n", n);
        }
        if (rest.size() <= size) {
            return new Page(rest, null);
        }
        List<String> names = rest.subList(0, size);
        String next = size == 0 ? null : path + "?n=" + size + "&last=" + names.get(size - 1);
        return new Page(names, next);
    }
}
