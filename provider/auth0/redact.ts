/**
 * Keeps secrets out of what is printed: client secrets, configured and issued tokens, passwords
 * in URLs, and whatever a request carried that its answer quotes back — in whatever encoding
 * they travelled.
 */

/** Shorter values are too common to be secrets, and redacting them would garble the text. */
const MIN_SECRET_CHARS = 4;

/**
 * A run this long of a value the request carried counts as a quote of it: a firewall's message
 * may cut a quoted body short or start inside a value, so whole values are not enough. Shorter
 * runs would hide ordinary words an answer shares with a connection's settings.
 */
const QUOTED_RUN_CHARS = 12;

/**
 * Replaces every occurrence of the given secrets in `text` with `[redacted]`: as written,
 * URL-encoded and form-encoded (a secret travels in a token request's form body and in query
 * strings), and the password of any `scheme://user:password@host` in the text.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
    const variants = new Set<string>();
    for (const secret of secrets) {
        if (!secret || secret.length < MIN_SECRET_CHARS) continue;
        for (const form of encodings(secret)) variants.add(form);
    }
    // Longest first, so a shorter variant never leaves the tail of a longer one behind.
    const withoutSecrets = [...variants]
        .sort((a, b) => b.length - a.length)
        .reduce<string>((out, variant) => out.split(variant).join("[redacted]"), text);
    return withoutSecrets.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]*@/gi, "$1:[redacted]@");
}

/**
 * Replaces, in `text` taken from an answer, every value the request `carried` (a PATCH's option
 * values) with `[redacted]`: each whole value, and every run of {@link QUOTED_RUN_CHARS} or more
 * characters of one, in each encoding {@link redact} knows.
 */
export function redactQuoted(text: string, carried: readonly string[]): string {
    const wholes: string[] = [];
    const runs = new Set<string>();
    for (const value of carried) {
        if (value.length < MIN_SECRET_CHARS) continue;
        for (const form of encodings(value)) {
            wholes.push(form);
            for (let i = 0; i + QUOTED_RUN_CHARS <= form.length; i++) runs.add(form.slice(i, i + QUOTED_RUN_CHARS));
        }
    }
    const hidden = new Array<boolean>(text.length).fill(false);
    const hide = (from: number, length: number) => hidden.fill(true, from, from + length);
    for (const whole of wholes) {
        for (let at = text.indexOf(whole); at !== -1; at = text.indexOf(whole, at + 1)) hide(at, whole.length);
    }
    for (let i = 0; i + QUOTED_RUN_CHARS <= text.length; i++) {
        if (runs.has(text.slice(i, i + QUOTED_RUN_CHARS))) hide(i, QUOTED_RUN_CHARS);
    }
    // Each stretch of hidden characters becomes one marker.
    let out = "";
    for (let at = 0; at < text.length; at++) {
        if (!hidden[at]) out += text[at];
        else if (!hidden[at - 1]) out += "[redacted]";
    }
    return out;
}

// A value as written, URL-encoded, form-encoded (a token request's body, query strings) and
// JSON-escaped (a quoted request body).
function encodings(value: string): string[] {
    return [
        value,
        encodeURIComponent(value),
        new URLSearchParams({ s: value }).toString().slice(2),
        JSON.stringify(value).slice(1, -1),
    ];
}
