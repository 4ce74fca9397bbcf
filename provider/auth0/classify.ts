/**
 * What one answer means to whoever retries: the parsed body (read losslessly, checked against its
 * schema), a retry (after Auth0's own wait for a 429), a write that may have been applied, or a
 * fatal error with a hint. Pure: the answers that depend on state (a refused token, Auth0's "no
 * such connection") are the client's to settle first.
 */
import type { z } from "zod";
import { errorFromBody, errorFromNetwork, errorFromResponse, networkFailureKind, type RequestContext } from "./errors";
import { parseJson } from "./json";
import type { Refusal } from "./rate-limit";
import { redact } from "./redact";
import type { Attempt } from "./retry";
import { type Answer, MAX_BODY_BYTES } from "./transport";

/** What was asked, as far as its answer's meaning depends on it. */
export interface Asked<T> {
    method: string;
    path: string;
    context: RequestContext;
    /** The shape a successful answer must have. */
    schema: z.ZodType<T>;
    /** Whether the request may have changed something when its outcome is unknown. */
    writes?: boolean;
    /** Values the request sent (a PATCH's option values): never shown when an answer quotes them. */
    carried?: readonly string[];
}

/** What else the meaning depends on. */
export interface Circumstances {
    /** The deadline the answer had. */
    timeoutMs: number;
    /** For a 429: what the rate limit made of Auth0's headers. */
    refusal?: Refusal;
    /** Never to appear in an error: credentials and issued tokens. */
    secrets: readonly (string | undefined)[];
}

/** Classifies `answer` to `asked`. */
export function classify<T>(asked: Asked<T>, answer: Answer, circumstances: Circumstances): Attempt<T> {
    const outcome = meaning(asked, answer, circumstances);
    if (outcome.kind !== "ok") outcome.error.message = redact(outcome.error.message, circumstances.secrets);
    return outcome;
}

/** `GET /path → HTTP 503`: an answer as retry lines show it. */
export function answerLine(asked: Pick<Asked<unknown>, "method" | "path">, answer: Answer): string {
    return `${asked.method} ${asked.path} → ${answer.status === undefined ? answer.code : `HTTP ${answer.status}`}`;
}

function meaning<T>(asked: Asked<T>, answer: Answer, circumstances: Circumstances): Attempt<T> {
    const what = answerLine(asked, answer);
    if (answer.status === undefined) {
        if (answer.code === "ERR_BODY_TOO_LARGE")
            return unreadable(asked, 200, `larger than ${MAX_BODY_BYTES} bytes`, what);
        const error = errorFromNetwork(asked.context, answer.code, circumstances.timeoutMs, asked.writes);
        const kind = networkFailureKind(answer.code, asked.context.tenant);
        if (kind === "permanent") return { kind: "fatal", error };
        return { kind: "retry", reason: what, error, mayHaveApplied: asked.writes && kind !== "not-sent" };
    }
    const { status, body } = answer;
    if (status < 300) return parsed(asked, status, body, what);
    const error = errorFromResponse(asked.context, status, body, asked.writes, asked.carried);
    if (status === 429) {
        const { waitMs, capped } = circumstances.refusal ?? {};
        return {
            kind: "retry",
            reason: capped ? `${what} (${capped})` : what,
            error,
            hintMs: waitMs,
            rateLimited: true,
        };
    }
    // A 408 may come from a proxy after Auth0 applied the write: as unknown as a 5xx.
    if (status === 408 || status >= 500) return { kind: "retry", reason: what, error, mayHaveApplied: asked.writes };
    return { kind: "fatal", error };
}

function parsed<T>(asked: Asked<T>, status: number, body: string, what: string): Attempt<T> {
    let json: unknown;
    try {
        json = parseJson(body);
    } catch {
        return unreadable(asked, status, "not JSON", what);
    }
    const result = asked.schema.safeParse(json);
    if (!result.success) {
        const issue = result.error.issues[0];
        return unreadable(asked, status, `${issue?.path.join(".") || "body"}: ${issue?.message}`, what);
    }
    return { kind: "ok", value: result.data };
}

// A success we cannot read. For a write it may still have been applied: the caller re-reads.
function unreadable<T>(asked: Asked<T>, status: number, problem: string, what: string): Attempt<T> {
    const error = errorFromBody(asked.context, status, problem, asked.writes);
    return asked.writes
        ? { kind: "retry", reason: `${what} (${problem})`, error, mayHaveApplied: true }
        : { kind: "fatal", error };
}
