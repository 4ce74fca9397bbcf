/**
 * Plays another writer of a connection over real HTTP: the update `@pulumi/auth0`'s
 * `auth0.Connection` sends (terraform-provider-auth0's `expandConnection` builds `options` from
 * the program's config; an unset `non_persistent_attrs` is omitted, and Auth0 replaces `options`
 * whole). The Deploy CLI and dashboard scripts do the same.
 */
import type { Connection, Emulator } from "../../emulator";

/**
 * PATCHes connection `id` as the bridged provider does after the program changed `changes`:
 * the connection's options with those changes and without `non_persistent_attrs`. Returns
 * Auth0's answer (the full connection).
 */
export async function bridgedUpdate(
    emulator: Emulator,
    id: string,
    changes: Record<string, unknown>,
): Promise<Connection> {
    const current = emulator.connection(id);
    if (!current?.options) throw new Error(`emulator has no connection ${id} with options`);
    const { non_persistent_attrs: _dropped, ...declared } = current.options;
    const token = await fetchJson<{ access_token: string }>(`${emulator.url}/oauth/token`, "POST", {
        grant_type: "client_credentials",
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        audience: `${emulator.url}/api/v2/`,
    });
    return fetchJson<Connection>(
        `${emulator.url}/api/v2/connections/${id}`,
        "PATCH",
        { options: { ...declared, ...changes } },
        token.access_token,
    );
}

// The emulator's JSON answer, typed by the caller.
async function fetchJson<T>(url: string, method: string, body: unknown, token?: string): Promise<T> {
    const response = await fetch(url, {
        method,
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
    });
    const answer = (await response.json()) as T;
    if (!response.ok) throw new Error(`${method} ${url} → ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
}
