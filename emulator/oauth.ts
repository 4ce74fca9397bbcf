import { type Body, json, type Reply } from "./http";
import type { TokenIssuer } from "./tokens";

/** What `/oauth/token` checks and hands out. */
export interface OAuthConfig {
    clientId: string;
    clientSecret: string;
    tokens: TokenIssuer;
    /** Scopes granted right now. */
    scopes: () => readonly string[];
}

/**
 * `POST /oauth/token`, client-credentials grant only. Errors use the Authentication API's
 * `{error, error_description}` shape, not the Management API's.
 */
export function issueToken(config: OAuthConfig, body: Body, baseUrl: string): Reply {
    const params = formParams(body);
    if (!params.grant_type) return oauthError(400, "invalid_request", "Missing required parameter: grant_type");
    if (params.grant_type !== "client_credentials") {
        return oauthError(
            403,
            "unsupported_grant_type",
            `Grant type '${params.grant_type}' not allowed for the client.`,
        );
    }
    if (params.client_id !== config.clientId || params.client_secret !== config.clientSecret) {
        return oauthError(401, "access_denied", "Unauthorized");
    }
    const audiences = [`${baseUrl}/api/v2/`, `${baseUrl}/api/v2`];
    if (!audiences.includes(params.audience ?? "")) {
        return oauthError(403, "access_denied", `Service not enabled within domain: ${params.audience ?? ""}`);
    }
    return json(200, {
        access_token: config.tokens.issue(),
        expires_in: config.tokens.ttlSeconds,
        scope: config.scopes().join(" "),
        token_type: "Bearer",
    });
}

/** String parameters of a form or JSON body; anything else yields none. */
function formParams(body: Body): Record<string, string | undefined> {
    if (body.kind === "form") return body.value;
    if (body.kind !== "json" || typeof body.value !== "object" || body.value === null) return {};
    const entries = Object.entries(body.value).filter(([, value]) => typeof value === "string");
    return Object.fromEntries(entries);
}

function oauthError(status: number, error: string, description: string): Reply {
    return json(status, { error, error_description: description });
}
