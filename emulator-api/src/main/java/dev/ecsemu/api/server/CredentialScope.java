package dev.ecsemu.api.server;

import dev.ecsemu.core.state.Scope;

/**
 * The account and region a request acts in, from its SigV4 {@code Authorization} header:
 * {@code AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/ecs/aws4_request, ...}. An access key
 * id of 12 digits selects that account (as LocalStack does); anything else acts in the default
 * account. Signatures are not verified.
 */
final class CredentialScope {
    private CredentialScope() {
    }

    static Scope of(String authorization, String defaultAccount, String defaultRegion) {
        String account = defaultAccount;
        String region = defaultRegion;
        if (authorization != null) {
            int at = authorization.indexOf("Credential=");
            if (at >= 0) {
                int end = authorization.indexOf(',', at);
                String credential = authorization.substring(at + "Credential=".length(), end < 0 ? authorization.length() : end).trim();
                String[] parts = credential.split("/");
                if (parts.length >= 3) {
                    if (Scope.isAccountId(parts[0])) {
                        account = parts[0];
                    }
                    if (Scope.isRegionName(parts[2])) {
                        region = parts[2];
                    }
                }
            }
        }
        return new Scope(account, region);
    }
}
