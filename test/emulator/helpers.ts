/** Real-HTTP helpers for the emulator tests (global fetch, no mocks). */
import { type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";

/** A response with its body read: `json` is the parsed body, or `undefined` when it is not JSON. */
export interface Response {
    status: number;
    headers: Headers;
    text: string;
    json: unknown;
}

/** What to send: a JSON `body`, or a `raw` body with its own `contentType`. */
export interface RequestInit {
    token?: string;
    body?: unknown;
    raw?: string;
    contentType?: string;
    signal?: AbortSignal;
}

/** Starts an emulator before each test of the enclosing suite and stops it after. */
export function useEmulator(options: () => EmulatorOptions = () => ({})): () => Emulator {
    let emulator: Emulator | undefined;
    beforeEach(async () => {
        emulator = await startEmulator(options());
    });
    afterEach(async () => {
        await emulator?.stop();
        emulator = undefined;
    });
    return () => {
        if (!emulator) throw new Error("the emulator runs only inside a test");
        return emulator;
    };
}

/** Sends one request to the emulator. */
export async function request(
    emulator: Emulator,
    method: string,
    path: string,
    init: RequestInit = {},
): Promise<Response> {
    const headers: Record<string, string> = {};
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    let body: string | undefined;
    if (init.raw !== undefined) {
        body = init.raw;
        if (init.contentType !== undefined) headers["content-type"] = init.contentType;
    } else if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers["content-type"] = "application/json";
    }
    const response = await fetch(`${emulator.url}${path}`, { method, headers, body, signal: init.signal });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: parseJson(text) };
}

/** The form fields of a valid client-credentials token request. */
export function tokenForm(emulator: Emulator): Record<string, string> {
    return {
        grant_type: "client_credentials",
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        audience: `${emulator.url}/api/v2/`,
    };
}

/** `POST /oauth/token` with a form body. */
export function requestToken(emulator: Emulator, form: Record<string, string>): Promise<Response> {
    const raw = new URLSearchParams(form).toString();
    return request(emulator, "POST", "/oauth/token", { raw, contentType: "application/x-www-form-urlencoded" });
}

/** A fresh access token with the emulator's current scopes. */
export async function accessToken(emulator: Emulator): Promise<string> {
    const response = await requestToken(emulator, tokenForm(emulator));
    if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.text}`);
    return (response.json as { access_token: string }).access_token;
}

/** A request carrying a fresh access token. */
export async function authorized(
    emulator: Emulator,
    method: string,
    path: string,
    init: RequestInit = {},
): Promise<Response> {
    return request(emulator, method, path, { ...init, token: await accessToken(emulator) });
}

/** The body as a record, for reading fields. */
export function record(response: Response): Record<string, unknown> {
    return response.json as Record<string, unknown>;
}

/** Auth0's Management API error body. */
export function apiErrorBody(statusCode: number, error: string, message: string, errorCode: string) {
    return { statusCode, error, message, errorCode };
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}
