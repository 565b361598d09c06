/** The reward formats live in shared/rewards.ts, shared with the web app; scripts import them from here. */
export * from "../../shared/rewards.ts";
