import { denyLists } from "./deny-lists";

denyLists();
