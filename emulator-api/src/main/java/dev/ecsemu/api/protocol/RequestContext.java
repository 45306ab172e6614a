package dev.ecsemu.api.protocol;

import dev.ecsemu.core.state.RegionStore;
import dev.ecsemu.core.state.Scope;

/** Who asked and where: the scope from the request's credentials, its store, and its request id. */
public record RequestContext(Scope scope, RegionStore store, String requestId) {
}
