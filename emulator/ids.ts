import { randomInt } from "node:crypto";

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A new connection id as Auth0 makes them: `con_` and 16 random alphanumerics. */
export function newConnectionId(): string {
    return `con_${Array.from({ length: 16 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join("")}`;
}
