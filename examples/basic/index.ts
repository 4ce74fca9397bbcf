// The smallest useful program: keep two attributes off the default database connection.
import { ConnectionDenyList } from "pulumi-auth0-deny-list";

const denyList = new ConnectionDenyList("database-deny-list", {
    connectionName: "Username-Password-Authentication",
    attributes: ["ethnicity", "gender"],
});

/** Entries this stack wrote; deleting the resource removes only these. */
export const owned = denyList.ownedAttributes;
