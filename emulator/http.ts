import { type IncomingMessage, STATUS_CODES } from "node:http";

/** Largest request body accepted, as Auth0's API gateway does (1 MB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A response to send: status, extra headers and an already serialised payload. */
export interface Reply {
    status: number;
    headers?: Record<string, string>;
    /** Omitted for an empty body. */
    payload?: string;
    /** Default `application/json; charset=utf-8`. */
    contentType?: string;
}

/** A request body, classified by its content type. */
export type Body =
    | { kind: "empty" }
    | { kind: "json"; value: unknown }
    | { kind: "form"; value: Record<string, string> }
    | { kind: "malformed"; text: string }
    | { kind: "unsupported"; text: string }
    | { kind: "too-large" };

/** A JSON reply. */
export function json(status: number, value: unknown, headers?: Record<string, string>): Reply {
    return { status, headers, payload: JSON.stringify(value) };
}

/** An error reply in Auth0's Management API shape `{statusCode, error, message, errorCode}`. */
export function apiError(status: number, message: string, errorCode?: string, headers?: Record<string, string>): Reply {
    return json(status, { statusCode: status, error: STATUS_CODES[status], message, errorCode }, headers);
}

/** 404 for a path or method the emulator does not serve. */
export function notFound(): Reply {
    return apiError(404, "Not Found");
}

/** Auth0's 401 for a bearer token it does not accept. */
export function unauthorized(message: string): Reply {
    return apiError(401, message, "invalid_token");
}

/** Auth0's 429, sent when the rate limit's bucket is empty. */
export function tooManyRequests(headers?: Record<string, string>): Reply {
    return apiError(429, "Global limit has been reached", "too_many_requests", headers);
}

/**
 * Reads the whole request body. Past `limit` bytes it keeps draining but stops buffering, so the
 * client still gets a 413 on the same connection instead of a reset.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<{ text: string; tooLarge: boolean }> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= limit) chunks.push(chunk);
        });
        req.on("end", () => resolve({ text: Buffer.concat(chunks).toString("utf8"), tooLarge: size > limit }));
        req.on("error", reject);
    });
}

/** Classifies and parses a body by its `content-type`. */
export function parseBody(contentType: string | undefined, text: string, tooLarge: boolean): Body {
    if (tooLarge) return { kind: "too-large" };
    if (text === "") return { kind: "empty" };
    const mediaType = (contentType ?? "").split(";")[0].trim().toLowerCase();
    if (mediaType === "application/json") {
        try {
            return { kind: "json", value: JSON.parse(text) };
        } catch {
            return { kind: "malformed", text };
        }
    }
    if (mediaType === "application/x-www-form-urlencoded") {
        return { kind: "form", value: Object.fromEntries(new URLSearchParams(text)) };
    }
    return { kind: "unsupported", text };
}

/** What the request log keeps of a body. */
export function recordedBody(body: Body): unknown {
    switch (body.kind) {
        case "json":
        case "form":
            return body.value;
        case "malformed":
        case "unsupported":
            return body.text;
        default:
            return undefined;
    }
}

/** Query parameters as a record; repeated parameters are joined with `,`. */
export function queryRecord(params: URLSearchParams): Record<string, string> {
    const record: Record<string, string> = {};
    for (const key of new Set(params.keys())) record[key] = params.getAll(key).join(",");
    return record;
}
