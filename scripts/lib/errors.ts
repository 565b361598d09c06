/**
 * The one error type of the creator CLIs (scripts/rewards.ts, scripts/funding.ts) and their cores:
 * a failure reported as one readable line, without a stack trace. `code` says what kind of failure
 * it is, so the entry scripts decide by the code (exit status, which hint to add), never by the
 * message's wording.
 */

/**
 * - `usage`: a mistake in the command line (exit code 2, with a pointer to the help);
 * - `input`: a flag's or a file's value is not acceptable;
 * - `no-contract`: nothing is deployed at the address named by `subject`;
 * - `wrong-contract`: the contract at `subject` is not the kind the command needs;
 * - `unknown-token`: `subject` is not a community token of the platform;
 * - `wrong-key`: the key given is not the account the contract requires;
 * - `revert`: a simulated or sent call reverted (`revert` holds the decoded error);
 * - `no-demo`: no address given and the chain's demo file (or deployment) does not name one;
 * - `failed`: anything else the chain answered that the command cannot proceed with.
 */
export type CliErrorCode = "usage" | "input" | "no-contract" | "wrong-contract" | "unknown-token" | "wrong-key" | "revert" | "no-demo" | "failed";

export interface CliErrorDetails {
  /** The flag (without "--") naming the address the error is about, e.g. "crowdfund", "token". */
  subject?: string;
  /** The decoded revert, e.g. `CrowdfundWrongState(current=1)`, for code "revert". */
  revert?: string;
}

/** A failure the CLI reports as one readable line (no stack trace). */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly subject: string | undefined;
  readonly revert: string | undefined;

  constructor(message: string, code: CliErrorCode = "failed", details: CliErrorDetails = {}) {
    super(message);
    this.name = "CliError";
    this.code = code;
    this.subject = details.subject;
    this.revert = details.revert;
  }
}

/** The rewards commands' errors: a CliError named for its CLI (the name shows in `--debug`). */
export class RewardsError extends CliError {
  override name = "RewardsError";
}

/** The funding and revenue commands' errors: a CliError named for its CLI. */
export class FundingError extends CliError {
  override name = "FundingError";
}

/**
 * Whether `error` says the address given for `subject` (a flag name without "--") names no
 * contract, the wrong kind of contract, or a token the platform does not know: what a demo file
 * or deployment from an earlier chain produces.
 */
export function isStaleAddress(error: unknown, subject: string): boolean {
  return (
    error instanceof CliError &&
    error.subject === subject &&
    (error.code === "no-contract" || error.code === "wrong-contract" || error.code === "unknown-token")
  );
}
