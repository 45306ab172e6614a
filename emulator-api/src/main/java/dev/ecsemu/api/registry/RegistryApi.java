package dev.ecsemu.api.registry;

import dev.ecsemu.core.registry.Registry;
import dev.ecsemu.core.state.Stores;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry under {@code /v2/} (OCI distribution spec, Docker Registry HTTP API V2), as ECR serves
 * it to {@code docker}, {@code skopeo} and containerd: authentication, then the request by its path.
 * Repositories are named {@code <account>/<region>/<repository>}.
 */
public final class RegistryApi {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryApi.class);
    // A repository name may itself hold '/', so each route is anchored at the end of the path.
    private static final Pattern TAGS = Pattern.compile("(.+)/tags/list");
    private static final Pattern MANIFEST = Pattern.compile("(.+)/manifests/([^/]+)");
    private static final Pattern UPLOADS = Pattern.compile("(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("(.+)/blobs/uploads/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("(.+)/blobs/([^/]+)");

    private final Authentication authentication;
    private final BlobEndpoints blobs;
    private final UploadEndpoints uploads;
    private final ManifestEndpoints manifests;
    private final ListingEndpoints listings;

    /**
     * @param registryHost the {@code host:port} clients reach the registry at (named in the login challenge)
     * @param authRequired whether every request needs {@code docker login} credentials
     */
    public RegistryApi(Registry registry, Stores stores, Clock clock, Supplier<String> registryHost, boolean authRequired) {
        RepositoryAccess repositories = new RepositoryAccess(stores);
        this.authentication = new Authentication(registry.tokens(), registryHost, authRequired);
        this.blobs = new BlobEndpoints(repositories, registry.blobs());
        this.uploads = new UploadEndpoints(repositories, registry);
        this.manifests = new ManifestEndpoints(repositories, registry, clock);
        this.listings = new ListingEndpoints(repositories, stores);
    }

    /** Whether a request URI is the registry's ({@code /v2} and below). */
    public static boolean serves(String uri) {
        return uri.equals("/v2") || uri.startsWith("/v2/") || uri.startsWith("/v2?");
    }

    /**
     * Opens a request whose head has arrived: authenticates it and finds what it asks for. Refusals are
     * answered as the spec's errors; nothing here throws. Runs on a worker thread (it may take store locks).
     */
    public RegistryRequest open(HttpRequest head) {
        HttpMethod method = head.method();
        String uri = head.uri();
        boolean headOnly = HttpMethod.HEAD.equals(method);
        try {
            authentication.check(head.headers().get(HttpHeaderNames.AUTHORIZATION));
            return answering(route(head, decode(uri)), method, uri, headOnly);
        } catch (RegistryError e) {
            return RegistryRequest.answered(refused(e, method, uri, headOnly));
        }
    }

    private RegistryRequest route(HttpRequest head, QueryStringDecoder query) {
        HttpMethod method = head.method();
        HttpHeaders headers = head.headers();
        String path = query.path();
        String rest = path.length() <= 4 ? "" : path.substring(4); // after "/v2/"
        if (rest.isEmpty()) {
            allow(method, HttpMethod.GET, HttpMethod.HEAD);
            return answer(new RegistryResponse(200).json("{}".getBytes(StandardCharsets.UTF_8)));
        }
        if (rest.equals("_catalog")) {
            allow(method, HttpMethod.GET);
            return answer(listings.catalog(param(query, "n"), param(query, "last")));
        }
        Matcher m;
        if ((m = TAGS.matcher(rest)).matches()) {
            allow(method, HttpMethod.GET);
            return answer(listings.tags(RepositoryName.parse(m.group(1)), param(query, "n"), param(query, "last")));
        }
        if ((m = MANIFEST.matcher(rest)).matches()) {
            RepositoryName name = RepositoryName.parse(m.group(1));
            String reference = m.group(2);
            allow(method, HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE);
            if (HttpMethod.PUT.equals(method)) {
                return manifests.put(name, reference, headers.get(HttpHeaderNames.CONTENT_TYPE), HttpUtil.getContentLength(head, -1L));
            }
            if (HttpMethod.DELETE.equals(method)) {
                return answer(manifests.delete(name, reference));
            }
            return answer(manifests.fetch(name, reference, HttpMethod.HEAD.equals(method)));
        }
        if ((m = UPLOADS.matcher(rest)).matches()) {
            allow(method, HttpMethod.POST);
            return uploads.start(RepositoryName.parse(m.group(1)), param(query, "digest"), param(query, "mount"), param(query, "from"));
        }
        if ((m = UPLOAD.matcher(rest)).matches()) {
            RepositoryName name = RepositoryName.parse(m.group(1));
            String id = m.group(2);
            allow(method, HttpMethod.GET, HttpMethod.PATCH, HttpMethod.PUT, HttpMethod.DELETE);
            String contentRange = headers.get(HttpHeaderNames.CONTENT_RANGE);
            if (HttpMethod.PATCH.equals(method)) {
                return uploads.patch(name, id, contentRange);
            }
            if (HttpMethod.PUT.equals(method)) {
                return uploads.finish(name, id, param(query, "digest"), contentRange);
            }
            return answer(HttpMethod.DELETE.equals(method) ? uploads.cancel(name, id) : uploads.status(name, id));
        }
        if ((m = BLOB.matcher(rest)).matches()) {
            allow(method, HttpMethod.GET, HttpMethod.HEAD);
            return answer(blobs.fetch(RepositoryName.parse(m.group(1)), m.group(2), headers.get(HttpHeaderNames.RANGE),
                    HttpMethod.HEAD.equals(method)));
        }
        throw RegistryError.unsupported(404, "Nothing is served at " + path + ". The registry serves /v2/<account>/<region>/<repository>"
                + "/{manifests/<tag or digest>, blobs/<digest>, blobs/uploads/, tags/list} and /v2/_catalog.");
    }

    /** The URI's path and parameters, decoded; a URI that is not valid percent-encoding is refused. */
    private static QueryStringDecoder decode(String uri) {
        QueryStringDecoder query = new QueryStringDecoder(uri);
        try {
            query.path();
            query.parameters();
        } catch (IllegalArgumentException e) {
            throw new RegistryError(400, "UNSUPPORTED", "The request URI is not valid: " + e.getMessage() + ".");
        }
        return query;
    }

    private static RegistryRequest answer(RegistryResponse response) {
        return RegistryRequest.answered(response);
    }

    private static void allow(HttpMethod method, HttpMethod... allowed) {
        for (HttpMethod a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        StringBuilder names = new StringBuilder();
        for (HttpMethod a : allowed) {
            names.append(names.length() == 0 ? "" : ", ").append(a.name());
        }
        throw RegistryError.unsupported(405, method + " is not supported here; this path takes " + names + ".")
                .header("Allow", names.toString());
    }

    private static String param(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    /** Refusals raised while the body is read or at its end become the spec's errors too. */
    private static RegistryRequest answering(RegistryRequest request, HttpMethod method, String uri, boolean headOnly) {
        if (!request.wantsBody()) {
            return request;
        }
        return new RegistryRequest() {
            @Override
            public boolean wantsBody() {
                return true;
            }

            @Override
            public void body(ByteBuf chunk) {
                request.body(chunk);
            }

            @Override
            public RegistryResponse end() {
                try {
                    return request.end();
                } catch (RegistryError e) {
                    return refused(e, method, uri, headOnly);
                }
            }

            @Override
            public void abandon() {
                request.abandon();
            }
        };
    }

    private static RegistryResponse refused(RegistryError e, HttpMethod method, String uri, boolean headOnly) {
        LOG.debug("{} {} -> {} {}: {}", method, uri, e.status(), e.code(), e.getMessage());
        RegistryResponse response = e.response();
        return headOnly ? response.withoutBody() : response;
    }
}
